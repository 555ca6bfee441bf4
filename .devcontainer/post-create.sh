#!/usr/bin/env bash
# Prepares a fresh checkout for the notebooks: restores the pinned notebook engine (a local dotnet tool, see
# .config/dotnet-tools.json) and builds the course, which puts CourseLib and its dependencies (TorchSharp's native
# libraries included, made loadable on this system if needed) into artifacts/notebook/, where every notebook's
# first cell loads it from. Then it registers the engine's Jupyter kernel (.net-csharp) for JupyterLab, Jupyter
# Notebook and VS Code's Jupyter extension. Codespaces runs this after creating the container; CI runs the same script.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dotnet >/dev/null || { echo "post-create: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
dotnet tool restore
dotnet build CourseLib.sln -c Release --nologo -v minimal

# Jupyter: the distribution's Jupyter Notebook and client where apt is available and they are missing (a failure
# here only means no Jupyter: the other ways to take the course do not need it).
if ! command -v jupyter-nbconvert >/dev/null && command -v apt-get >/dev/null; then
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  { $sudo_ apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq --no-install-recommends \
      jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel; } \
    || echo "post-create: could not install Jupyter with apt; install JupyterLab with \`pip install jupyterlab\` to use it" >&2
fi
# The kernel (idempotent): ~/.local/share/jupyter/kernels/.net-csharp, which runs the pinned engine.
dotnet run --project lib/CourseLib.Cli -c Release --no-build -- jupyter-setup

echo "post-create: CourseLib is built into artifacts/notebook/; open notebooks/00-setup.ipynb (Polyglot Notebooks or Jupyter), or run dotnet run apps/00-setup.cs"
