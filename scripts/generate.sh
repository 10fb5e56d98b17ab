#!/usr/bin/env bash
# Regenerates the checked-in artefacts from the C# types. CI fails (WorkspaceCrdTests) when they are stale.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project src/Kaito.Silo -v q -- crds > deploy/crds/kaito.sh_workspaces.yaml
echo "wrote deploy/crds/kaito.sh_workspaces.yaml"
