using Microsoft.JSInterop;

namespace Catwalk.Web.Components.Shared;

/// <summary>The browser helpers in <c>wwwroot/js/catwalk.js</c> (clipboard, theme preference), imported once per circuit.</summary>
public sealed class BrowserInterop(IJSRuntime js) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;

    private Task<IJSObjectReference> Module => _module ??= js.InvokeAsync<IJSObjectReference>("import", "./js/catwalk.js").AsTask();

    public async Task<bool> CopyAsync(string text) => await (await Module).InvokeAsync<bool>("copyText", text);

    /// <summary>True for dark, false for light, null when this browser never chose.</summary>
    public async Task<bool?> GetDarkThemeAsync() =>
        await (await Module).InvokeAsync<string?>("getTheme") switch
        {
            "dark" => true,
            "light" => false,
            _ => null,
        };

    public async Task SetDarkThemeAsync(bool dark) => await (await Module).InvokeVoidAsync("setTheme", dark ? "dark" : "light");

    public async ValueTask DisposeAsync()
    {
        if (_module is { IsCompletedSuccessfully: true })
        {
            try
            {
                await _module.Result.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone; so is the module.
            }
        }
    }
}
