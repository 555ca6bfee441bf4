using System.Text.Json;
using System.Text.Json.Nodes;

namespace CourseLib.Notebooks.Tests;

/// <summary>The set-up of the three homes is written down where a student and CI look: README, devcontainer, post-create.</summary>
[Trait("Category", "unit")]
public class HomesSetupTests
{
    static string Read(params string[] path) => File.ReadAllText(Path.Combine(new[] { Repository.Root }.Concat(path).ToArray()));

    [Fact]
    public void The_readme_names_the_three_ways_each_with_its_set_up_command_and_keeps_the_first_two_commands()
    {
        var readme = Read("README.md");
        var blocks = System.Text.RegularExpressions.Regex.Matches(readme, "```sh\n(.*?)\n```", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => m.Groups[1].Value.Trim()).ToList();
        Assert.Equal("dotnet run --project lib/CourseLib.Cli -c Release -- run", blocks[0]);
        Assert.Equal("dotnet test CourseLib.sln -c Release", blocks[1]);
        var open = readme[readme.IndexOf("## Open the notebooks", StringComparison.Ordinal)..];
        Assert.Contains("Polyglot Notebooks", open);
        Assert.Contains("bash .devcontainer/post-create.sh", open);
        Assert.Contains("Jupyter", open);
        Assert.Contains(JupyterKernel.SetupCommand, open);
        Assert.Contains("file-based apps", open);
        Assert.Contains("dotnet run apps/00-setup.cs", open);
    }

    [Fact]
    public void Post_create_registers_the_Jupyter_kernel_and_the_devcontainer_has_the_Jupyter_extension()
    {
        Assert.Contains("-- jupyter-setup", Read(".devcontainer", "post-create.sh"));
        var devcontainer = (JsonObject)JsonNode.Parse(Read(".devcontainer", "devcontainer.json"),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        var extensions = devcontainer["customizations"]!["vscode"]!["extensions"]!.AsArray().Select(e => e!.GetValue<string>());
        Assert.Contains("ms-toolsai.jupyter", extensions);
        Assert.Contains("jupyter", Read(".devcontainer", "devcontainer.json"));
    }

    [Fact]
    public void The_Jupyter_packages_are_installed_by_the_test_dependencies_script()
    {
        var script = Read("build", "install-test-deps.sh");
        foreach (var package in new[] { "jupyter-nbconvert", "jupyter-client", "python3-nbclient", "python3-ipykernel", "chromium" })
            Assert.Contains(package, script);
    }
}
