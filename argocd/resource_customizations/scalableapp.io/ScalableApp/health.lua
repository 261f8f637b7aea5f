-- Argo CD health of a ScalableApp (scalableapp.io/v1alpha1), read from the status that
-- scalableapp-operator writes: status.observedGeneration, status.rollout and the Ready,
-- Progressing and Degraded conditions.
--
-- Lua 5.1 with the base and table libraries only: Argo CD runs it on gopher-lua, and a check
-- installed through argocd-cm gets no string or math library (unless useOpenLibs is set).
-- Kept identical to the script in argocd/argocd-cm.yaml; ArgoHealthCheckTest compares them.

local FINALIZER = "scalableapps.scalableapp.io/finalizer"

-- Instance refresh states in which AWS is still replacing (or restoring) instances.
local ROLLOUT_ACTIVE = {
  Pending = true,
  InProgress = true,
  Cancelling = true,
  RollbackInProgress = true,
  Baking = true,
}

-- Anything can be missing or of an unexpected type in a resource a user or a tool wrote:
-- indexing a non-table would stop the script, and Argo CD would show an error, not health.
local function asTable(value)
  if type(value) == "table" then
    return value
  end
  return nil
end

local function isSet(value)
  return value ~= nil and value ~= ""
end

local function findCondition(status, conditionType)
  local conditions = asTable(status.conditions)
  if conditions == nil then
    return nil
  end
  for _, condition in ipairs(conditions) do
    if type(condition) == "table" and condition.type == conditionType then
      return condition
    end
  end
  return nil
end

-- "Reason: message", or whichever of the two is set, or the fallback.
local function describe(condition, fallback)
  if condition == nil then
    return fallback
  end
  if isSet(condition.reason) and isSet(condition.message) then
    return tostring(condition.reason) .. ": " .. tostring(condition.message)
  end
  if isSet(condition.message) then
    return tostring(condition.message)
  end
  if isSet(condition.reason) then
    return tostring(condition.reason)
  end
  return fallback
end

-- Built from status.rollout's fields rather than the condition's text, so the percentage
-- shows however the message is worded (no string functions are available to search it).
local function describeRollout(rollout)
  local parts = {}
  if rollout.percentComplete ~= nil then
    table.insert(parts, tostring(rollout.percentComplete) .. "% complete")
  end
  if rollout.instancesToUpdate ~= nil then
    table.insert(parts, tostring(rollout.instancesToUpdate) .. " instance(s) to update")
  end
  local message = "Rollout"
  if rollout.targetVersion ~= nil then
    message = message .. " of launch template version " .. tostring(rollout.targetVersion)
  end
  message = message .. ": " .. tostring(rollout.status)
  if #parts > 0 then
    message = message .. ", " .. table.concat(parts, ", ")
  end
  return message
end

local hs = {}
local metadata = asTable(obj.metadata) or {}
local spec = asTable(obj.spec) or {}
local status = asTable(obj.status)

-- Deletion comes first: the finalizer, not the last status, decides when the app is gone.
-- Argo CD releases before argoproj/argo-cd#27596 report "Pending deletion" themselves without
-- running this; later ones run it, so the message can say what the finalizer waits for.
if metadata.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Pending deletion"
  local others = {}
  local ours = false
  for _, finalizer in ipairs(asTable(metadata.finalizers) or {}) do
    if finalizer == FINALIZER then
      ours = true
    else
      table.insert(others, tostring(finalizer))
    end
  end
  if ours and spec.deletionPolicy == "Retain" then
    hs.message = hs.message .. "; deletionPolicy Retain: the operator keeps the app's AWS"
      .. " resources and removes finalizer " .. FINALIZER
  elseif ours then
    hs.message = hs.message .. "; the operator deletes the app's AWS resources, then removes"
      .. " finalizer " .. FINALIZER
  end
  if #others > 0 then
    hs.message = hs.message .. "; waiting for finalizer(s) " .. table.concat(others, ", ")
  end
  return hs
end

-- A status computed for an older spec says nothing about the current one: right after a change
-- it still says Ready, so it must never make the app Healthy. Each condition carries its own
-- observedGeneration too, and any of them being behind makes the status stale.
local generation = tonumber(metadata.generation)
local waiting = "Waiting for the operator to observe the ScalableApp"
if generation ~= nil then
  waiting = "Waiting for the operator to observe generation " .. tostring(generation)
end
if status == nil then
  hs.status = "Progressing"
  hs.message = waiting
  return hs
end
local stale = tonumber(status.observedGeneration) == nil
  or (generation ~= nil and tonumber(status.observedGeneration) < generation)
for _, condition in ipairs(asTable(status.conditions) or {}) do
  local observed = type(condition) == "table" and tonumber(condition.observedGeneration) or nil
  if generation ~= nil and observed ~= nil and observed < generation then
    stale = true
  end
end
if stale then
  hs.status = "Progressing"
  hs.message = waiting
  return hs
end

local ready = findCondition(status, "Ready")
local progressing = findCondition(status, "Progressing")
local degraded = findCondition(status, "Degraded")

-- Paused: the operator changes nothing in AWS on purpose, neither progress nor failure.
if spec.paused == true then
  hs.status = "Suspended"
  hs.message = "Paused: the operator changes nothing in AWS"
  if progressing ~= nil and progressing.reason == "Paused" and isSet(progressing.message) then
    hs.message = tostring(progressing.message)
  end
  return hs
end

if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = describe(degraded, "Degraded")
  return hs
end

-- A rollout replaces every instance, so the app is Progressing until it ends, even if the
-- conditions were last written before it started.
local rollout = asTable(status.rollout)
if rollout ~= nil and rollout.status ~= nil and ROLLOUT_ACTIVE[rollout.status] then
  hs.status = "Progressing"
  hs.message = describeRollout(rollout)
  return hs
end

-- Ready with Progressing True (reason Scaling) is the Auto Scaling Group following its policy
-- within min and max: the app serves traffic, so it is Healthy.
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Ready"
  if isSet(ready.message) then
    hs.message = tostring(ready.message)
  end
  return hs
end

-- Provisioning, updating, scaling up to min, deleting: Progressing says what is going on, and
-- Ready why the app is not ready when nothing is.
hs.status = "Progressing"
local fallback = "Waiting for the operator's conditions"
if isSet(status.phase) then
  fallback = fallback .. " (phase " .. tostring(status.phase) .. ")"
end
if progressing ~= nil and progressing.status == "True" then
  hs.message = describe(progressing, fallback)
elseif ready ~= nil then
  hs.message = describe(ready, fallback)
else
  hs.message = describe(progressing, fallback)
end
return hs
