// Command olm-validate runs the Operator Framework's own bundle validators
// (github.com/operator-framework/api/pkg/validation, the library behind `operator-sdk bundle
// validate`) over a bundle directory, prints every error and warning with the manifest it
// concerns, and exits 1 when any validator reports an error. (The library's own CLI,
// operator-verify, logs errors but always exits 0, so CI could not fail on it.)
//
//	olm-validate [-k8s-version=1.34] [-strict] BUNDLE_DIR
//
// It runs the default bundle validators (ClusterServiceVersion, CustomResourceDefinition,
// Bundle) and the optional ones that need no network: OperatorHub (v2), standard capabilities
// and categories, bundle objects, good practices and deprecated APIs for -k8s-version. It
// leaves out the multiple-architectures check, which pulls the CSV's images from a registry.
// -strict fails on warnings too.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"

	"github.com/operator-framework/api/pkg/manifests"
	"github.com/operator-framework/api/pkg/validation"
	interfaces "github.com/operator-framework/api/pkg/validation/interfaces"
)

type named struct {
	name      string
	validator interfaces.Validator
}

var validators = []named{
	{"ClusterServiceVersion", validation.ClusterServiceVersionValidator},
	{"CustomResourceDefinition", validation.CustomResourceDefinitionValidator},
	{"Bundle", validation.BundleValidator},
	{"OperatorHubV2", validation.OperatorHubV2Validator},
	{"StandardCapabilities", validation.StandardCapabilitiesValidator},
	{"StandardCategories", validation.StandardCategoriesValidator},
	{"Object", validation.ObjectValidator},
	{"GoodPractices", validation.GoodPracticesValidator},
	{"AlphaDeprecatedAPIs", validation.AlphaDeprecatedAPIsValidator},
}

func main() {
	k8sVersion := flag.String("k8s-version", "1.34",
		"Kubernetes version the deprecated-API check fails for (the `k8s-version` key)")
	strict := flag.Bool("strict", false, "fail on warnings as well as errors")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s [flags] BUNDLE_DIR\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	os.Exit(run(flag.Arg(0), *k8sVersion, *strict))
}

func run(dir, k8sVersion string, strict bool) int {
	bundle, err := manifests.GetBundleFromDir(dir)
	if err != nil || bundle == nil {
		fmt.Printf("ERROR %s: cannot load the bundle: %v\n", dir, err)
		return 1
	}
	kinds := []string{}
	for _, o := range bundle.Objects {
		kinds = append(kinds, o.GetKind())
	}
	sort.Strings(kinds)
	fmt.Printf("bundle %s: package %q, channels %v, default channel %q, CSV %s, manifests %v\n",
		dir, bundle.Package, bundle.Channels, bundle.DefaultChannel, bundle.CSV.GetName(), kinds)

	objects := append(bundle.ObjectsToValidate(), map[string]string{"k8s-version": k8sVersion})
	errorCount, warningCount := 0, 0
	for _, v := range validators {
		var lines []string
		for _, result := range v.validator.Validate(objects...) {
			for _, e := range result.Errors {
				lines = append(lines, fmt.Sprintf("ERROR %s [%s]: %s", v.name, result.Name, e.Error()))
				errorCount++
			}
			for _, w := range result.Warnings {
				lines = append(lines, fmt.Sprintf("WARN  %s [%s]: %s", v.name, result.Name, w.Error()))
				warningCount++
			}
		}
		sort.Strings(lines)
		for _, line := range lines {
			fmt.Println(line)
		}
		fmt.Printf("validator %s: %s\n", v.name, verdict(lines))
	}
	fmt.Printf("olm-validate: %d error(s), %d warning(s) from %d validators\n",
		errorCount, warningCount, len(validators))
	if errorCount > 0 || (strict && warningCount > 0) {
		return 1
	}
	return 0
}

func verdict(lines []string) string {
	if len(lines) == 0 {
		return "passed"
	}
	return fmt.Sprintf("%d finding(s)", len(lines))
}
