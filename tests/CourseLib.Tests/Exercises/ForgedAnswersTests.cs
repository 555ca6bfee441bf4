using System.Text.Json.Nodes;
using CourseLib.Exercises;

namespace CourseLib.Tests.Exercises;

/// <summary>
/// The grader judges answers a submission printed, so everything decoded from them is hostile input: sizes taken from
/// the answers must be bounded and checked before anything is allocated, and a bad answer is a wrong case, never an
/// exception out of <see cref="CheckRegistry.Evaluate"/> (which would stop the grading run for the whole class).
/// </summary>
[Trait("Category", "unit")]
public class ForgedAnswersTests
{
    const int Seed = 4242;

    /// <summary>As many answers as the check draws cases for <see cref="Seed"/>, each <paramref name="answer"/>.</summary>
    static string AnswersOfEveryCase(string check, JsonNode answer)
    {
        var report = JsonNode.Parse(CheckRegistry.Evaluate(check, Seed, false, "[]"))!;
        int cases = report["total_cases"]!.GetValue<int>();
        Assert.True(cases > 0);
        return new JsonArray(Enumerable.Range(0, cases).Select(_ => (JsonNode)new JsonObject { ["v"] = answer.DeepClone() }).ToArray()).ToJsonString();
    }

    static JsonObject Matrix(int rows, int columns, JsonArray values) => new() { ["rows"] = rows, ["columns"] = columns, ["values"] = values };

    public static TheoryData<string, string> ForgedMatrices => new()
    {
        { "negative rows", Matrix(-1, 3, []).ToJsonString() },
        { "negative columns", Matrix(2, -5, [new JsonArray(), new JsonArray()]).ToJsonString() },
        { "huge sizes, no values", Matrix(1 << 30, 1 << 30, []).ToJsonString() },
        { "huge columns, one short row", Matrix(1, int.MaxValue, [new JsonArray(1.0)]).ToJsonString() },
        { "sizes that are not integers", """{"rows":"x","columns":1e300,"values":[]}""" },
        { "values that are not rows", """{"rows":2,"columns":2,"values":[1,{"a":[]}]}""" },
        { "a string", "\"a matrix\"" },
    };

    [Theory]
    [MemberData(nameof(ForgedMatrices))]
    public void A_forged_matrix_answer_is_a_wrong_case_not_an_exception(string what, string matrix)
    {
        foreach (var check in new[] { "QFromV", "QLearningUpdate", "Eszsl" })
        {
            var json = JsonNode.Parse(CheckRegistry.Evaluate(check, Seed, false, AnswersOfEveryCase(check, JsonNode.Parse(matrix)!)))!;
            Assert.True(json["status"]!.GetValue<string>() == "failed", $"{check}, {what}: {json}");
            Assert.Equal(0, json["passed_cases"]!.GetValue<int>());
            Assert.Contains("wrong shape", json["failures"]![0]!["got"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Answers_of_other_shapes_and_deeply_nested_json_are_wrong_cases_or_an_error_report()
    {
        foreach (var check in CheckRegistry.Names)
        {
            foreach (var answer in new[] { "[[[]]]", "{\"rows\":-1}", "1e400", "\"NaN\"", "null", "[1,2,3]" })
            {
                var report = JsonNode.Parse(CheckRegistry.Evaluate(check, Seed, false, AnswersOfEveryCase(check, JsonNode.Parse(answer) ?? JsonValue.Create(0)!)))!;
                Assert.NotEqual("passed", report["status"]!.GetValue<string>());
            }
            var deep = new string('[', 5000) + new string(']', 5000);
            var nested = JsonNode.Parse(CheckRegistry.Evaluate(check, Seed, false, deep))!;
            Assert.Equal("error", nested["status"]!.GetValue<string>());
        }
    }
}
