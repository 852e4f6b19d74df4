namespace Catwalk.Core.Credentials;

/// <summary>
/// base64url exactly as Python's <c>base64.urlsafe_b64encode</c> and <c>urlsafe_b64decode</c> do it (a port of
/// CPython's non-strict <c>binascii.a2b_base64</c>), so a token or key that Python's Fernet accepts is accepted
/// here and one it rejects is rejected: padding is required, characters outside the alphabet are skipped, the
/// standard <c>+/</c> decode as well as the url-safe <c>-_</c>, and decoding stops at the first complete padding.
/// </summary>
internal static class PythonBase64
{
    /// <summary>The url-safe alphabet with <c>=</c> padding, as <c>urlsafe_b64encode</c> writes it.</summary>
    public static string EncodeUrlSafe(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).Replace('+', '-').Replace('/', '_');

    public static bool TryDecodeUrlSafe(string text, out byte[] data)
    {
        var output = new byte[(text.Length + 3) / 4 * 3];
        var written = 0;
        var quadPosition = 0;
        var pads = 0;
        var leftover = 0;
        foreach (var character in text)
        {
            if (character > 127)
            {
                // Python refuses a str with non-ASCII characters before decoding.
                data = [];
                return false;
            }

            if (character == '=')
            {
                if (quadPosition >= 2 && quadPosition + ++pads >= 4)
                {
                    data = output[..written];
                    return true;
                }

                continue;
            }

            var value = Sextet(character);
            if (value < 0)
            {
                continue;
            }

            pads = 0;
            switch (quadPosition)
            {
                case 0:
                    quadPosition = 1;
                    leftover = value;
                    break;
                case 1:
                    quadPosition = 2;
                    output[written++] = (byte)((leftover << 2) | (value >> 4));
                    leftover = value & 0x0f;
                    break;
                case 2:
                    quadPosition = 3;
                    output[written++] = (byte)((leftover << 4) | (value >> 2));
                    leftover = value & 0x03;
                    break;
                default:
                    quadPosition = 0;
                    output[written++] = (byte)((leftover << 6) | value);
                    leftover = 0;
                    break;
            }
        }

        // Python: "Incorrect padding", or a lone character past a multiple of four.
        data = quadPosition == 0 ? output[..written] : [];
        return quadPosition == 0;
    }

    private static int Sextet(char character) => character switch
    {
        >= 'A' and <= 'Z' => character - 'A',
        >= 'a' and <= 'z' => character - 'a' + 26,
        >= '0' and <= '9' => character - '0' + 52,
        '-' or '+' => 62,
        '_' or '/' => 63,
        _ => -1,
    };
}
