namespace Drip.Rendering;

/// <summary>A letter could not be rendered for one subscriber; says where in which file.</summary>
public sealed class RenderException : Exception
{
    public RenderException(string message, Exception? inner = null) : base(message, inner)
    {
    }

    public RenderException()
    {
    }

    public RenderException(string message) : base(message)
    {
    }
}
