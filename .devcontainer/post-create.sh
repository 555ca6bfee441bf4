#!/usr/bin/env bash
# Prepares a fresh checkout for the notebooks: restores the pinned notebook engine (a local dotnet tool, see
# .config/dotnet-tools.json) and builds the course, which puts CourseLib and its dependencies (TorchSharp's native
# libraries included, made loadable on this system if needed) into artifacts/notebook/, where every notebook's
# first cell loads it from. Codespaces runs this after creating the container; CI runs the same script.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "post-create: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
dotnet tool restore
dotnet build CourseLib.sln -c Release --nologo -v minimal
echo "post-create: CourseLib is built into artifacts/notebook/; open notebooks/00-setup.ipynb"
