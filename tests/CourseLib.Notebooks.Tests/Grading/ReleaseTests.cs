using System.Text.Json.Nodes;
using CourseLib.Notebooks.Grading;

namespace CourseLib.Notebooks.Tests.Grading;

[Trait("Category", "unit")]
public class ReleaseTests
{
    static NotebookCell Cell(IpynbDocument notebook, string gradeId) =>
        notebook.Cells.Single(c => ExerciseCell.Read(c, notebook.Path)?.GradeId == gradeId);

    [Fact]
    public void The_students_copy_keeps_the_signature_stubs_the_solution_and_drops_hidden_checks()
    {
        var instructor = Submissions.Instructor();
        var student = Submissions.StudentCopy();
        Assert.Equal(
            "double DiscountedReturn(double[] rewards, double gamma)\n{\n    // YOUR CODE HERE\n    throw new NotImplementedException();\n}",
            Cell(student, "discounted-return").Source);
        Assert.DoesNotContain(student.Cells, c => c.Source.Contains("BEGIN SOLUTION") || c.Source.Contains("rewards[t] + gamma * g"));
        Assert.DoesNotContain(student.Cells, c => ExerciseCell.Read(c, "student")?.GradeId == "discounted-return-hidden");
        Assert.Equal(instructor.Cells.Count - 1, student.Cells.Count);
        // Check cells, metadata and everything else are as in the instructor's copy.
        Assert.Equal(Cell(instructor, "discounted-return-check").Json.ToJsonString(), Cell(student, "discounted-return-check").Json.ToJsonString());
        Assert.Equal(instructor.Metadata.ToJsonString(), student.Metadata.ToJsonString());
        Assert.Equal(3, Cell(student, "discounted-return").Metadata["nbgrader"]!["schema_version"]!.GetValue<int>());
    }

    [Fact]
    public void Stubs_are_indented_like_their_marker_and_several_regions_in_a_cell_each_become_a_stub()
    {
        var source = "int A()\n{\n    // BEGIN SOLUTION\n    return 1;\n    // END SOLUTION\n}\n\nint B()\n{\n        // BEGIN SOLUTION\n        return 2;\n        // END SOLUTION\n}";
        Assert.Equal(
            "int A()\n{\n    // YOUR CODE HERE\n    throw new NotImplementedException();\n}\n\nint B()\n{\n        // YOUR CODE HERE\n        throw new NotImplementedException();\n}",
            Release.Stub(source, code: true, "test"));
        // A markdown answer's model answer sits between HTML comments (which a page does not show).
        Assert.Equal("Before\nYOUR ANSWER HERE\nafter", Release.Stub("Before\n<!-- BEGIN SOLUTION -->\nthe answer\n<!-- END SOLUTION -->\nafter", code: false, "test"));
        Assert.Equal("// BEGIN SOLUTION\nnot a marker here", Release.Stub("// BEGIN SOLUTION\nnot a marker here", code: false, "test"));
    }

    [Fact]
    public void Release_is_deterministic()
    {
        var first = Release.StudentCopyJson(Submissions.Instructor());
        var second = Release.StudentCopyJson(IpynbDocument.Load(Submissions.InstructorCopy));
        Assert.Equal(first, second);
        Assert.All(Submissions.StudentCopy().Cells.Where(c => c.IsCode), c => Assert.Empty(c.Json["outputs"]!.AsArray()));
    }

    [Fact]
    public void The_committed_student_notebooks_are_what_release_makes_of_the_instructors_copies()
    {
        var instructor = Path.Combine(Repository.Root, "instructor");
        foreach (var source in Release.InstructorCopies(instructor))
        {
            var committed = Path.Combine(Repository.Notebooks, Path.GetFileName(source));
            Assert.True(File.Exists(committed), $"notebooks/{Path.GetFileName(source)} is missing: run `courselib release`.");
            Assert.True(File.ReadAllText(committed) == Release.StudentCopyJson(IpynbDocument.Load(source)),
                $"notebooks/{Path.GetFileName(source)} is not what release makes of instructor/{Path.GetFileName(source)}: run `courselib release`.");
        }
    }

    [Fact]
    public void Released_files_keep_the_layout_the_notebooks_are_committed_in()
    {
        // nbformat's layout (one-space indent, text as is): a notebook written back unchanged is byte for byte the same.
        foreach (var path in SeminarNotebooks.List(Repository.Notebooks).Append(Submissions.InstructorCopy))
        {
            var text = File.ReadAllText(path);
            Assert.True(text == NotebookJson.Write(JsonNode.Parse(text)!), $"{Path.GetFileName(path)} is not in nbformat's layout");
        }
        Assert.Equal("{\n \"a\": [\n  \"x\\u001e\\ty\\\"\",\n  []\n ],\n \"b\": {}\n}\n",
            NotebookJson.Write(new JsonObject { ["a"] = new JsonArray("x\u001e\ty\"", new JsonArray()), ["b"] = new JsonObject() }));
    }

    [Fact]
    public void Every_seminar_notebook_with_an_instructors_copy_has_at_least_two_graded_exercises()
    {
        foreach (var source in Release.InstructorCopies(Path.Combine(Repository.Root, "instructor")))
        {
            var cells = ExerciseCell.Validate(IpynbDocument.Load(source));
            var solutions = cells.Where(c => c.Kind == ExerciseCellKind.Solution).Select(c => c.GradeId).ToList();
            Assert.True(solutions.Count >= 2, $"{Path.GetFileName(source)} has {solutions.Count} exercise(s); every seminar notebook needs at least two.");
            // Each solution is followed by a visible check before the next solution.
            var order = cells.Where(c => c.Kind is ExerciseCellKind.Solution or ExerciseCellKind.Check).ToList();
            for (int i = 0; i < order.Count; i++)
                if (order[i].Kind == ExerciseCellKind.Solution)
                    Assert.True(i + 1 < order.Count && order[i + 1].Kind == ExerciseCellKind.Check, $"{Path.GetFileName(source)}: solution \"{order[i].GradeId}\" has no visible check after it.");
        }
    }

    [Fact]
    public void Instructors_copies_load_assemblies_only_in_their_first_code_cell()
    {
        // A later #r makes the stock engine see CourseLib's types twice ("cannot convert from Digits to Digits").
        foreach (var source in Release.InstructorCopies(Path.Combine(Repository.Root, "instructor")))
        {
            var code = IpynbDocument.Load(source).Cells.Where(c => c.IsCode).Skip(1);
            Assert.All(code, c => Assert.False(c.Source.Split('\n').Any(l => l.TrimStart().StartsWith("#r ", StringComparison.Ordinal)),
                $"{Path.GetFileName(source)}: cell {c.Number} has a #r; move it to the first code cell."));
        }
    }

    static IpynbDocument WithCell(string source, JsonObject nbgrader, JsonObject? courselib = null, string kind = "code")
    {
        var metadata = new JsonObject { ["nbgrader"] = nbgrader };
        if (courselib != null) metadata["courselib"] = courselib;
        var cell = new JsonObject { ["cell_type"] = kind, ["metadata"] = metadata, ["source"] = source };
        if (kind == "code") { cell["outputs"] = new JsonArray(); cell["execution_count"] = null; }
        var notebook = new JsonObject { ["cells"] = new JsonArray(cell), ["metadata"] = new JsonObject(), ["nbformat"] = 4, ["nbformat_minor"] = 5 };
        return IpynbDocument.Parse(notebook.ToJsonString(), "bad.ipynb");
    }

    static JsonObject Solution(string id = "s") => new() { ["grade_id"] = id, ["solution"] = true, ["grade"] = false };
    static JsonObject Graded(double points, string id = "c") => new() { ["grade_id"] = id, ["solution"] = false, ["grade"] = true, ["points"] = points };
    static JsonObject Answer(double points, string id = "a") => new() { ["grade_id"] = id, ["solution"] = true, ["grade"] = true, ["points"] = points };

    /// <summary>The fixture's open question: a markdown answer cell graded by hand, its model answer between HTML comment markers.</summary>
    const string ModelAnswer = "Discounting keeps the return finite in continuing tasks and makes rewards that come sooner count more than rewards far in the future.";

    [Fact]
    public void An_open_question_is_released_as_YOUR_ANSWER_HERE_and_keeps_its_points_for_grading_by_hand()
    {
        var instructor = Submissions.Instructor();
        var question = ExerciseCell.Read(Cell(instructor, "why-discount"), instructor.Path)!;
        Assert.Equal(ExerciseCellKind.ManualAnswer, question.Kind);
        Assert.Equal(2, question.Points);
        Assert.False(question.IsCheck);
        Assert.Equal(ModelAnswer, ExerciseCell.SolutionText(question.Cell.Source, code: false));
        Assert.Contains(ExerciseCell.Validate(instructor), c => c.GradeId == "why-discount"); // release's validation accepts it

        var student = Submissions.StudentCopy();
        var answer = Cell(student, "why-discount");
        Assert.Equal(Release.MarkdownStub, answer.Source);
        Assert.Equal("markdown", answer.Kind);
        Assert.Equal(2, answer.Metadata["nbgrader"]!["points"]!.GetValue<double>()); // the grader still finds it
        Assert.DoesNotContain("finite in continuing tasks", student.ToJson());
        Assert.DoesNotContain("BEGIN SOLUTION", student.ToJson());
    }

    [Theory]
    [InlineData("unclosed", "is never closed")]
    [InlineData("no markers", "needs its solution between")]
    [InlineData("end first", "without a \"// BEGIN SOLUTION\" before it")]
    [InlineData("no points", "needs \"points\" greater than 0")]
    [InlineData("hidden solution", "only check cells")]
    [InlineData("no grade id", "needs a \"grade_id\"")]
    [InlineData("markdown check", "must be a code cell")]
    [InlineData("graded solution", "a code solution cell carries no points")]
    [InlineData("markdown solution without grade", "a markdown solution cell is an answer graded by hand")]
    [InlineData("answer without points", "an answer graded by hand needs \"points\" greater than 0")]
    [InlineData("answer without markers", "needs its model answer between \"<!-- BEGIN SOLUTION -->\" and \"<!-- END SOLUTION -->\"")]
    [InlineData("answer with code markers", "needs its model answer between")]
    [InlineData("marker in an ordinary cell", "has a solution marker but is not a solution cell")]
    public void A_malformed_instructors_copy_is_refused_with_a_message_naming_the_cell(string problem, string message)
    {
        var notebook = problem switch
        {
            "unclosed" => WithCell("int F()\n{\n    // BEGIN SOLUTION\n    return 1;\n}", Solution()),
            "no markers" => WithCell("int F() => 1;", Solution()),
            "end first" => WithCell("// END SOLUTION\n// BEGIN SOLUTION", Solution()),
            "no points" => WithCell("Check.HuberLoss(HuberLoss)", Graded(0)),
            "hidden solution" => WithCell("// BEGIN SOLUTION\n// END SOLUTION", Solution(), new JsonObject { ["hidden"] = true }),
            "no grade id" => WithCell("x", new JsonObject { ["solution"] = true }),
            "markdown check" => WithCell("text", Graded(1), kind: "markdown"),
            "markdown solution without grade" => WithCell("<!-- BEGIN SOLUTION -->\nx\n<!-- END SOLUTION -->", Solution(), kind: "markdown"),
            "answer without points" => WithCell("<!-- BEGIN SOLUTION -->\nx\n<!-- END SOLUTION -->", Answer(0), kind: "markdown"),
            "answer without markers" => WithCell("the model answer, unmarked", Answer(2), kind: "markdown"),
            "answer with code markers" => WithCell("// BEGIN SOLUTION\nx\n// END SOLUTION", Answer(2), kind: "markdown"),
            "marker in an ordinary cell" => WithCell("Teaching text.\n<!-- BEGIN SOLUTION -->\nx\n<!-- END SOLUTION -->", new JsonObject(), kind: "markdown"),
            _ => WithCell("// BEGIN SOLUTION\n// END SOLUTION", new JsonObject { ["grade_id"] = "s", ["solution"] = true, ["grade"] = true, ["points"] = 1 }),
        };
        var error = Assert.Throws<ExerciseFormatException>(() => Release.StudentCopy(notebook));
        Assert.Contains(message, error.Message);
        Assert.StartsWith("bad.ipynb: cell 1", error.Message);
    }

    [Fact]
    public void Duplicate_grade_ids_are_refused()
    {
        var notebook = WithCell("// BEGIN SOLUTION\n// END SOLUTION", Solution("same"));
        var cells = (JsonArray)JsonNode.Parse(notebook.ToJson())!["cells"]!;
        cells.Add(cells[0]!.DeepClone());
        var twice = IpynbDocument.Parse(new JsonObject { ["cells"] = cells.DeepClone(), ["metadata"] = new JsonObject(), ["nbformat"] = 4 }.ToJsonString(), "bad.ipynb");
        Assert.Contains("grade_id \"same\" is used by cells 1 and 2", Assert.Throws<ExerciseFormatException>(() => Release.StudentCopy(twice)).Message);
    }

    [Fact]
    public void Edits_to_a_students_copy_fold_back_into_the_instructors_copy_with_solutions_and_hidden_checks()
    {
        var instructor = Submissions.Instructor();
        var student = Submissions.StudentCopy();
        // A merge changed a teaching cell and added one, in the student's copy.
        var teaching = student.Cells.Single(c => c.Source.StartsWith("Console.WriteLine(\"a teaching cell", StringComparison.Ordinal));
        teaching.Source = "Console.WriteLine(\"an edited teaching cell\");";
        var json = JsonNode.Parse(student.ToJson())!;
        json["cells"]!.AsArray().Insert(1, new JsonObject { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = "A new introduction." });
        var edited = IpynbDocument.Parse(json.ToJsonString(), "student.ipynb");

        var updated = Release.UpdateInstructorCopy(instructor, edited);
        Assert.Contains(updated.Cells, c => c.Source == "A new introduction.");
        Assert.Contains(updated.Cells, c => c.Source.Contains("an edited teaching cell"));
        Assert.Equal(Cell(instructor, "discounted-return").Source, Cell(updated, "discounted-return").Source);   // the solution is back
        Assert.Equal(Cell(instructor, "why-discount").Source, Cell(updated, "why-discount").Source);             // and the model answer
        int check = updated.Cells.ToList().FindIndex(c => ExerciseCell.Read(c, "u")?.GradeId == "discounted-return-check");
        Assert.Equal("discounted-return-hidden", ExerciseCell.Read(updated.Cells[check + 1], "u")?.GradeId);    // and the hidden check, in place
        Assert.Equal(instructor.Cells.Count + 1, updated.Cells.Count);
        // Releasing it gives the edited student's copy.
        Assert.Equal(NotebookJson.Write(JsonNode.Parse(edited.ToJson())!), Release.StudentCopyJson(updated));

        // A student's copy that lost an exercise is refused, not folded back.
        var lost = JsonNode.Parse(student.ToJson())!;
        lost["cells"]!.AsArray().RemoveAt(student.Cells.ToList().FindIndex(c => ExerciseCell.Read(c, "s")?.GradeId == "discounted-return"));
        var error = Assert.Throws<ExerciseFormatException>(() => Release.UpdateInstructorCopy(instructor, IpynbDocument.Parse(lost.ToJsonString(), "lost.ipynb")));
        Assert.Contains("\"discounted-return\"", error.Message);
    }

    [Fact]
    public void Check_cells_name_the_checks_they_call()
    {
        var cell = ExerciseCell.Read(WithCell("Check.DiscountedReturn(DiscountedReturn);\nCourseLib.Exercises.Check.RewardToGo(RewardToGo)\n// MyCheck.Other(x)", Graded(1)).Cells[0], "x")!;
        Assert.Equal(new[] { "DiscountedReturn", "RewardToGo" }, cell.CheckNames);
    }
}
