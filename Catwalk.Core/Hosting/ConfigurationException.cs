namespace Catwalk.Core.Hosting;

/// <summary>
/// A setting that is missing or wrong, or a prerequisite the host lacks. Its message names the variable (or the tool)
/// and says how to fix it; the entry point prints that one line, without a stack trace, and exits with code 2.
/// </summary>
public sealed class ConfigurationException(string message) : InvalidOperationException(message);
