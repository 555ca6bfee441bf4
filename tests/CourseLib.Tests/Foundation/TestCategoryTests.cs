using System.Reflection;

namespace CourseLib.Tests.Foundation;

/// <summary>
/// Every test says which tier it belongs to, so that <c>dotnet test --filter Category=unit</c> is the fast loop and the
/// slow tiers are never run by accident: unit (fast, no training to a threshold), learning (trains to a stated
/// threshold), notebooks (runs notebooks in an engine), grading (starts grader workers). The same file is compiled
/// into tests/CourseLib.Notebooks.Tests, so each test assembly checks itself.
/// </summary>
[Trait("Category", "unit")]
public class TestCategoryTests
{
    static readonly string[] Tiers = ["unit", "learning", "notebooks", "grading"];

    [Fact]
    public void Every_test_has_exactly_one_Category_trait_naming_a_tier()
    {
        var tests = typeof(TestCategoryTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any())
                .Select(m => (Type: t, Method: m)))
            .ToList();
        Assert.True(tests.Count > 10, $"found only {tests.Count} tests by reflection");
        var wrong = tests
            .Select(test => (Name: $"{test.Type.Name}.{test.Method.Name}", Categories: Categories(test.Type, test.Method)))
            .Where(t => t.Categories.Count != 1 || !Tiers.Contains(t.Categories[0]))
            .Select(t => $"{t.Name} ({(t.Categories.Count == 0 ? "none" : string.Join(", ", t.Categories))})")
            .ToList();
        Assert.True(wrong.Count == 0,
            $"{wrong.Count} tests lack exactly one [Trait(\"Category\", \"unit\" | \"learning\" | \"notebooks\" | \"grading\")] " +
            $"(on the class, or on each method where a class mixes tiers): {string.Join("; ", wrong)}");
    }

    /// <summary>
    /// The Category values xunit sees for a test: the method's traits and its class's (and base classes'). xunit keeps a
    /// trait's name and value only as the attribute's constructor arguments, so they are read from the metadata.
    /// </summary>
    static List<string> Categories(Type type, MethodInfo method)
    {
        var attributes = method.GetCustomAttributesData().ToList();
        for (var t = type; t != null; t = t.BaseType) attributes.AddRange(t.GetCustomAttributesData());
        return attributes
            .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == "Category")
            .Select(a => (string)a.ConstructorArguments[1].Value!)
            .ToList();
    }
}
