// Copies text to the clipboard for the "copy" buttons (a module loaded by JS interop: no inline script,
// so the content security policy can forbid them). Resolves to false when the browser refuses.
export async function copyText(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        return false;
    }
}
