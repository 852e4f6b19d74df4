// Browser helpers called from Razor components through JS interop (no inline scripts: the CSP forbids them).

const themeKey = "catwalk.theme";

/** The theme the user picked in this browser: "dark", "light", or null when never picked. */
export function getTheme() {
    try {
        const value = window.localStorage.getItem(themeKey);
        return value === "dark" || value === "light" ? value : null;
    } catch {
        return null;
    }
}

export function setTheme(value) {
    try {
        window.localStorage.setItem(themeKey, value === "dark" ? "dark" : "light");
    } catch {
        // Storage can be off (private windows); the toggle still works for this page.
    }
}

/** Copies text to the clipboard; true when it worked. */
export async function copyText(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        // Without clipboard permission (e.g. plain http), fall back to a hidden textarea and execCommand.
        const area = document.createElement("textarea");
        area.value = text;
        area.setAttribute("readonly", "");
        area.style.position = "fixed";
        area.style.opacity = "0";
        document.body.appendChild(area);
        area.select();
        let ok = false;
        try {
            ok = document.execCommand("copy");
        } finally {
            document.body.removeChild(area);
        }
        return ok;
    }
}
