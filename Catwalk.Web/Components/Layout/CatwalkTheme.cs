using MudBlazor;

namespace Catwalk.Web.Components.Layout;

/// <summary>Catwalk's colours for the light and dark palettes.</summary>
internal static class CatwalkTheme
{
    public static MudTheme Create() => new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#5b3cc4",
            Secondary = "#0f9d8a",
            AppbarBackground = "#2d1b69",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#9d85ff",
            Secondary = "#3fd1bd",
            AppbarBackground = "#1b1233",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
