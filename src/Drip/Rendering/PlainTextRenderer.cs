using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Drip.Rendering;

/// <summary>
/// Writes the text/plain part from the Markdown syntax tree. Unlike Markdig's ToPlainText it keeps
/// link targets ("text (https://…)"), list bullets and numbers, and code as written.
/// </summary>
public static class PlainTextRenderer
{
    public static string Render(MarkdownDocument document)
    {
        var sb = new StringBuilder(1024);
        WriteBlocks(sb, document, "");
        // Trimmed in the builder: trimming the string and adding the line break copied the letter twice more.
        var end = sb.Length;
        while (end > 0 && char.IsWhiteSpace(sb[end - 1]))
        {
            end--;
        }
        sb.Length = end;
        return sb.Append('\n').ToString();
    }

    private static void WriteBlocks(StringBuilder sb, ContainerBlock container, string prefix)
    {
        foreach (var block in container)
        {
            WriteBlock(sb, block, prefix);
        }
    }

    private static void WriteBlock(StringBuilder sb, Block block, string prefix)
    {
        switch (block)
        {
            case HeadingBlock heading:
                var title = Inlines(heading.Inline);
                sb.Append(prefix).Append(title).Append('\n');
                sb.Append(prefix).Append(new string(heading.Level == 1 ? '=' : '-', Math.Max(3, title.Length))).Append("\n\n");
                break;
            case ParagraphBlock paragraph:
                // Written in place, each line after the first given the prefix afterwards, rather than built apart and split.
                var first = sb.Length + prefix.Length;
                sb.Append(prefix);
                if (paragraph.Inline is not null)
                {
                    WriteInlines(sb, paragraph.Inline);
                }
                if (prefix.Length > 0)
                {
                    sb.Replace("\n", "\n" + prefix, first, sb.Length - first);
                }
                sb.Append('\n').Append(prefix.TrimEnd()).Append('\n');
                break;
            case ListBlock list:
                var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                foreach (var item in list.OfType<ListItemBlock>())
                {
                    var bullet = list.IsOrdered ? $"{number++}. " : "- ";
                    var inner = new StringBuilder();
                    WriteBlocks(inner, item, "");
                    var lines = inner.ToString().TrimEnd().Split('\n');
                    for (var i = 0; i < lines.Length; i++)
                    {
                        if (lines[i].Length == 0)
                        {
                            sb.Append(prefix.TrimEnd()).Append('\n'); // a blank line between an item's blocks carries no indent
                            continue;
                        }
                        sb.Append(prefix).Append(i == 0 ? bullet : new string(' ', bullet.Length)).Append(lines[i]).Append('\n');
                    }
                }
                sb.Append('\n');
                break;
            case QuoteBlock quote:
                WriteBlocks(sb, quote, prefix + "> ");
                break;
            case CodeBlock code:
                foreach (var line in code.Lines.Lines.Take(code.Lines.Count))
                {
                    sb.Append(prefix).Append("    ").Append(line.Slice.ToString()).Append('\n');
                }
                sb.Append('\n');
                break;
            case ThematicBreakBlock:
                sb.Append(prefix).Append("----------\n\n");
                break;
            case Table table:
                foreach (var row in table.OfType<TableRow>())
                {
                    var cells = row.OfType<TableCell>().Select(c =>
                    {
                        var inner = new StringBuilder();
                        WriteBlocks(inner, c, "");
                        return inner.ToString().Trim();
                    });
                    sb.Append(prefix).Append(string.Join(" | ", cells)).Append('\n');
                }
                sb.Append('\n');
                break;
            case ContainerBlock other:
                WriteBlocks(sb, other, prefix);
                break;
            case LeafBlock leaf when leaf.Inline is not null:
                sb.Append(prefix).Append(Inlines(leaf.Inline)).Append("\n\n");
                break;
        }
    }

    private static string Inlines(ContainerInline? inlines)
    {
        if (inlines is null)
        {
            return "";
        }
        var sb = new StringBuilder();
        WriteInlines(sb, inlines);
        return sb.ToString();
    }

    private static void WriteInlines(StringBuilder sb, ContainerInline container)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    sb.Append(literal.Content.AsSpan());
                    break;
                case CodeInline code:
                    sb.Append(code.Content);
                    break;
                case LineBreakInline:
                    sb.Append('\n');
                    break;
                case AutolinkInline auto:
                    sb.Append(auto.Url);
                    break;
                case LinkInline link when link.IsImage:
                    var alt = Inlines(link);
                    sb.Append(alt.Length > 0 ? $"[{alt}]" : "");
                    break;
                case LinkInline link:
                    var text = Inlines(link);
                    var url = link.GetDynamicUrl?.Invoke() ?? link.Url ?? "";
                    sb.Append(url.Length == 0 || text == url || "mailto:" + text == url ? text : $"{text} ({url})");
                    break;
                case HtmlEntityInline entity:
                    sb.Append(entity.Transcoded.ToString());
                    break;
                case ContainerInline inner:
                    WriteInlines(sb, inner);
                    break;
                case HtmlInline html:
                    sb.Append(html.Tag);
                    break;
            }
        }
    }
}
