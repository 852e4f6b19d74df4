namespace Catwalk.Web.Components.Deploy;

/// <summary>The wizard's log messages (source-generated; Razor files cannot host the generator's partial methods).</summary>
internal static partial class WizardLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Analysis failed unexpectedly in the wizard")]
    public static partial void AnalysisFailed(ILogger logger, Exception exception);
}
