namespace Catwalk.Web.Components.Shared;

/// <summary>How the UI describes its actions in the audit log (the API records the same action names).</summary>
public static class UiAudit
{
    /// <summary>The detail of an entry recorded from a page: where it came from and what it was about.</summary>
    public static string Detail(string? subject) => subject is null ? "from the web UI" : $"{subject} (from the web UI)";
}
