// The pod sandbox's "pause" process for the test cluster, built here because no image registry
// is reachable. No dependencies beyond the standard library.
module dbmigration.dev/hack/images/pause

go 1.24
