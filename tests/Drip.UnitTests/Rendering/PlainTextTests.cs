using Drip.Rendering;
using Markdig;

namespace Drip.UnitTests.Rendering;

/// <summary>The text part, written from the Markdown tree: every kind of block, line breaks inside quotes and lists kept.</summary>
public sealed class PlainTextTests
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().UseAutoLinks().DisableHtml().Build();

    [Fact]
    public void Each_kind_of_block_is_written_as_a_reader_of_plain_text_expects()
    {
        const string markdown = """
            # Spring news

            Dear Ada,
            the linen is back.\
            In four colours.

            > A quote that runs
            > over two lines.
            >
            > And a second paragraph.

            1. first
            2. second
               - inner one
               - inner two

            ## Details

                code stays as written

            | Item | Price |
            |------|-------|
            | Linen | 20 |

            See [the shop](https://example.com/shop), write to <mailto:hi@example.com> or visit https://example.com.

            ---

            Until next time   
            """;

        var text = PlainTextRenderer.Render(Markdown.Parse(markdown, Pipeline));

        Assert.Equal(Expected, text);
    }

    private const string Expected =
        "Spring news\n" +
        "===========\n" +
        "\n" +
        "Dear Ada,\n" +
        "the linen is back.\n" +
        "In four colours.\n" +
        "\n" +
        "> A quote that runs\n" +
        "> over two lines.\n" +
        ">\n" +
        "> And a second paragraph.\n" +
        ">\n" +
        "1. first\n" +
        "2. second\n" +
        "\n" +
        "   - inner one\n" +
        "   - inner two\n" +
        "\n" +
        "Details\n" +
        "-------\n" +
        "\n" +
        "    code stays as written\n" +
        "\n" +
        "Item | Price\n" +
        "Linen | 20\n" +
        "\n" +
        "See the shop (https://example.com/shop), write to mailto:hi@example.com or visit https://example.com.\n" +
        "\n" +
        "----------\n" +
        "\n" +
        "Until next time\n";
}
