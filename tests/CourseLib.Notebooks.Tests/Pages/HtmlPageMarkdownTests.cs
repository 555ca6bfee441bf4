using CourseLib.Notebooks;

namespace CourseLib.Notebooks.Tests.Pages;

/// <summary>Markdown with TeX becomes HTML whose maths is verbatim, in elements KaTeX typesets.</summary>
[Trait("Category", "unit")]
public class HtmlPageMarkdownTests
{
    [Fact]
    public void A_multi_line_display_block_whose_lines_start_with_plus_stays_one_display_formula()
    {
        var html = HtmlPage.MarkdownToHtml("Terms\n\n$$\\log p = a\n + \\underbrace{b}_{\\text{policy}}\n + c$$\n");
        Assert.DoesNotContain("<li>", html);
        Assert.Matches(@"^<p>Terms</p>\n<div class=""math display"">\\log p = a\n *\+ \\underbrace\{b\}_\{\\text\{policy\}\}\n *\+ c</div>\n$", html);
    }

    [Fact]
    public void Backslashes_underscores_and_stars_inside_maths_are_kept_verbatim()
    {
        var html = HtmlPage.MarkdownToHtml("$$L = \\begin{cases} a & x \\\\ b & y \\end{cases}$$\n\nand $\\mu_E * \\mu_\\theta * 2$ here, $x^{m\n\\times z}$.");
        Assert.Contains("a &amp; x \\\\ b &amp; y", html);
        Assert.Contains("<span class=\"math inline\">\\mu_E * \\mu_\\theta * 2</span>", html);
        Assert.Contains("<span class=\"math inline\">x^{m\n\\times z}</span>", html);
        Assert.DoesNotContain("<em>", html);
        Assert.DoesNotContain("<sup>", html);
    }

    [Fact]
    public void Display_maths_inside_a_paragraph_is_display_maths_and_prices_stay_text()
    {
        var html = HtmlPage.MarkdownToHtml("so $$x = 1$$ holds; it costs $5 and $6 then.");
        Assert.Contains("<span class=\"math display\">x = 1</span>", html);
        Assert.Contains("it costs $5 and $6 then.", html);
    }

    [Fact]
    public void The_page_carries_KaTeX_and_its_fonts_and_loads_nothing_from_the_network()
    {
        var notebook = IpynbDocument.Parse("""{"cells":[{"cell_type":"markdown","metadata":{},"source":"$a$"}],"metadata":{},"nbformat":4,"nbformat_minor":5}""");
        var page = HtmlPage.Render(notebook, "t");
        Assert.Contains("katex.render(", page);
        Assert.Contains("src:url(data:font/woff2;base64,", page);
        Assert.DoesNotContain("url(fonts/", page);
        Assert.DoesNotContain("src=\"http", page);
    }
}
