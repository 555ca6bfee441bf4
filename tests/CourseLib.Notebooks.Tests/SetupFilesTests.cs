using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Tests;

/// <summary>Docker cannot run here, so the Codespaces configuration is checked as data, and its setup script is the one CI runs.</summary>
[Trait("Category", "unit")]
public class SetupFilesTests
{
    static JsonObject DevContainer() =>
        (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, ".devcontainer", "devcontainer.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;

    [Fact]
    public void The_devcontainer_uses_a_dotnet_10_Ubuntu_24_04_image_whose_libstdcxx_loads_TorchSharp()
    {
        var image = DevContainer()["image"]!.GetValue<string>();
        Assert.StartsWith("mcr.microsoft.com/devcontainers/dotnet:", image);
        Assert.Contains("10.0", image);
        Assert.EndsWith("-noble", image); // Ubuntu 24.04: GCC 14's libstdc++ has GLIBCXX_3.4.32
    }

    [Fact]
    public void The_devcontainer_installs_Polyglot_Notebooks_and_pins_its_engine_to_the_local_tool()
    {
        var vscode = DevContainer()["customizations"]!["vscode"]!;
        var extensions = vscode["extensions"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.Contains("ms-dotnettools.dotnet-interactive-vscode", extensions);
        var transport = vscode["settings"]!["dotnet-interactive.kernelTransportArgs"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(new[] { "tool", "run", "dotnet-interactive" }, transport.Skip(1).Take(3));
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, ".config", "dotnet-tools.json")))!;
        Assert.Equal("1.0.712001", manifest["tools"]!["microsoft.dotnet-interactive"]!["version"]!.GetValue<string>());
    }

    [Fact]
    public void The_post_create_step_is_a_script_that_CI_runs_too()
    {
        Assert.Equal("bash .devcontainer/post-create.sh", DevContainer()["postCreateCommand"]!.GetValue<string>());
        var script = File.ReadAllText(Path.Combine(Repository.Root, ".devcontainer", "post-create.sh"));
        Assert.Contains("dotnet tool restore", script);
        Assert.Contains("dotnet build CourseLib.sln", script);
        Assert.Contains("bash .devcontainer/post-create.sh", File.ReadAllText(Path.Combine(Repository.Root, ".ci", "run")));
    }

    [Fact]
    public void The_notebook_packages_are_pinned_to_the_final_release()
    {
        var props = File.ReadAllText(Path.Combine(Repository.Root, "Directory.Build.props"));
        Assert.Contains("<InteractiveVersion>1.0.0-beta.26120.1</InteractiveVersion>", props);
        Assert.Contains("<TorchSharpVersion>0.107.0</TorchSharpVersion>", props);
    }
}
