-- Argo CD health of a DatabaseMigration (dbmigration.dev/v1alpha1): Healthy once the current
-- generation's migration succeeded, Degraded when it failed or the spec is invalid, Suspended
-- while spec.suspend holds a run or a plan awaits a person's approval, Progressing otherwise
-- (waiting for the database, planning, running).
local hs = {}
local status = obj.status
if status == nil or status.observedGeneration == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to see this migration"
  return hs
end
if obj.metadata.generation ~= nil and status.observedGeneration < obj.metadata.generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to see generation " .. obj.metadata.generation
  return hs
end
local reason = nil
if status.conditions ~= nil then
  for _, condition in ipairs(status.conditions) do
    if condition.type == "Ready" then
      reason = condition.reason
    end
  end
end
local phase = status.phase or "Pending"
hs.message = phase
if reason ~= nil then
  hs.message = hs.message .. " (" .. reason .. ")"
end
if status.message ~= nil and status.message ~= "" then
  hs.message = hs.message .. ": " .. status.message
end
if phase == "Succeeded" then
  hs.status = "Healthy"
elseif phase == "Failed" or phase == "Invalid" then
  hs.status = "Degraded"
elseif reason == "Suspended" or phase == "AwaitingApproval" then
  hs.status = "Suspended"
else
  hs.status = "Progressing"
end
return hs
