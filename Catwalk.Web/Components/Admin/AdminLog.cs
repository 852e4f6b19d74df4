namespace Catwalk.Web.Components.Admin;

/// <summary>The admin pages' log messages.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing machines for the admin page failed")]
    public static partial void ListFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "An admin action on machine {MachineId} failed")]
    public static partial void ActionFailed(ILogger logger, Exception exception, string machineId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting user {UserId} failed")]
    public static partial void UserDeletionFailed(ILogger logger, Exception exception, string userId);
}
