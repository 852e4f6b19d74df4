namespace Catwalk.Web.Logging;

/// <summary>How the console log is written [CATWALK_LOG_FORMAT]: <c>text</c> (one timestamped line per entry) or
/// <c>json</c> (one JSON object per line, for log shipping such as Fly's).</summary>
public sealed class ConsoleLogOptions
{
    public const string FormatVariable = "CATWALK_LOG_FORMAT";
    public const string Text = "text";
    public const string Json = "json";

    public string Format { get; set; } = Text;

    public bool IsJson => string.Equals(Format, Json, StringComparison.OrdinalIgnoreCase);
}
