using System.Text;
using Markdig;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CourseLib.Notebooks;

/// <summary>
/// A Markdig extension for the notebooks' TeX, written as Jupyter reads it: <c>$...$</c> inline maths (which may
/// span lines), <c>$$...$$</c> display maths, either as a block that starts a line and ends a line (its lines may
/// begin with "+" or "-": they stay maths, not a list) or inside a paragraph. The TeX is kept verbatim (no
/// emphasis, superscript or escapes inside it) and written HTML-escaped into <c>span.math</c> / <c>div.math</c>
/// elements with class <c>inline</c> or <c>display</c>, which the page's KaTeX typesets.
/// </summary>
public sealed class TexMathExtension : IMarkdownExtension
{
    /// <inheritdoc />
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.BlockParsers.Contains<DisplayMathParser>()) pipeline.BlockParsers.Insert(0, new DisplayMathParser());
        if (!pipeline.InlineParsers.Contains<TexInlineParser>()) pipeline.InlineParsers.Insert(0, new TexInlineParser());
    }

    /// <inheritdoc />
    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is not HtmlRenderer html) return;
        if (!html.ObjectRenderers.Contains<DisplayMathRenderer>()) html.ObjectRenderers.Insert(0, new DisplayMathRenderer());
        if (!html.ObjectRenderers.Contains<TexInlineRenderer>()) html.ObjectRenderers.Insert(0, new TexInlineRenderer());
    }
}

/// <summary>A display-maths block: the TeX between <c>$$</c> and <c>$$</c>.</summary>
public sealed class DisplayMathBlock(BlockParser parser) : LeafBlock(parser)
{
    /// <summary>The TeX, without the delimiters.</summary>
    public StringBuilder Tex { get; } = new();
}

/// <summary>Inline or display maths inside a paragraph.</summary>
public sealed class TexInline : LeafInline
{
    /// <summary>The TeX, without the delimiters.</summary>
    public required string Tex { get; init; }

    /// <summary>True for <c>$$...$$</c>.</summary>
    public bool Display { get; init; }
}

/// <summary>Opens a display block at a line that starts with <c>$$</c>; the line that ends with <c>$$</c> closes it.</summary>
sealed class DisplayMathParser : BlockParser
{
    public DisplayMathParser() => OpeningCharacters = ['$'];

    public override BlockState TryOpen(BlockProcessor processor)
    {
        if (processor.IsCodeIndent) return BlockState.None;
        var line = processor.Line;
        if (line.CurrentChar != '$' || line.PeekChar() != '$') return BlockState.None;
        var rest = line.ToString()[2..];
        if (rest.StartsWith('$')) return BlockState.None;
        var block = new DisplayMathBlock(this) { Column = processor.Column, Line = processor.LineIndex, Span = new SourceSpan(processor.Start, line.End) };
        processor.NewBlocks.Push(block);
        return Append(block, rest);
    }

    public override BlockState TryContinue(BlockProcessor processor, Block block)
    {
        block.UpdateSpanEnd(processor.Line.End);
        return Append((DisplayMathBlock)block, processor.Line.ToString());
    }

    static BlockState Append(DisplayMathBlock block, string text)
    {
        var trimmed = text.TrimEnd();
        bool closes = trimmed.EndsWith("$$", StringComparison.Ordinal);
        if (block.Tex.Length > 0) block.Tex.Append('\n');
        block.Tex.Append(closes ? trimmed[..^2] : text);
        return closes ? BlockState.BreakDiscard : BlockState.ContinueDiscard;
    }
}

/// <summary>
/// <c>$...$</c> and <c>$$...$$</c> inside a paragraph, across line breaks. As in Pandoc, an inline opening <c>$</c>
/// is not followed by a space and a closing one is not preceded by a space nor followed by a digit, so "$5 and $6"
/// stays text.
/// </summary>
sealed class TexInlineParser : InlineParser
{
    public TexInlineParser() => OpeningCharacters = ['$'];

    public override bool Match(InlineProcessor processor, ref StringSlice slice)
    {
        string text = slice.Text;
        int start = slice.Start, end = slice.End;
        bool display = start + 1 <= end && text[start + 1] == '$';
        int width = display ? 2 : 1, from = start + width;
        if (from > end || (!display && char.IsWhiteSpace(text[from]))) return false;
        for (int i = from; i <= end; i++)
        {
            char c = text[i];
            if (c == '\\') { i++; continue; }
            if (c != '$') continue;
            if (display)
            {
                if (i + 1 <= end && text[i + 1] == '$' && i > from) return Take(processor, ref slice, text[from..i], display, start, i + 2);
                continue;
            }
            if (i + 1 <= end && text[i + 1] == '$') return false;
            if (i == from || char.IsWhiteSpace(text[i - 1]) || (i + 1 <= end && char.IsAsciiDigit(text[i + 1]))) continue;
            return Take(processor, ref slice, text[from..i], display, start, i + 1);
        }
        return false;
    }

    static bool Take(InlineProcessor processor, ref StringSlice slice, string tex, bool display, int start, int next)
    {
        int from = processor.GetSourcePosition(start, out int line, out int column);
        processor.Inline = new TexInline
        {
            Tex = tex, Display = display, Line = line, Column = column,
            Span = new SourceSpan(from, from + next - 1 - start),
        };
        slice.Start = next;
        return true;
    }
}

sealed class DisplayMathRenderer : HtmlObjectRenderer<DisplayMathBlock>
{
    protected override void Write(HtmlRenderer renderer, DisplayMathBlock block)
    {
        renderer.EnsureLine();
        renderer.Write("<div class=\"math display\">").WriteEscape(block.Tex.ToString().Trim()).Write("</div>");
        renderer.EnsureLine();
    }
}

sealed class TexInlineRenderer : HtmlObjectRenderer<TexInline>
{
    protected override void Write(HtmlRenderer renderer, TexInline math) =>
        renderer.Write(math.Display ? "<span class=\"math display\">" : "<span class=\"math inline\">").WriteEscape(math.Tex.Trim()).Write("</span>");
}
