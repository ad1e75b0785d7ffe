using System.Text;

namespace OpenLedger.Datanets.Content;

/// <summary>
/// Decides what the bytes are from their first bytes (magic numbers), never from a name or a header the client sent.
/// Images: PNG, JPEG, GIF, WebP. Audio: WAV, FLAC, Ogg, MP3 (ID3 tag or MPEG frame sync). Text: UTF-8 without NUL
/// (checked over the whole body by <see cref="Utf8Validator"/> while it streams).
/// </summary>
public static class ContentSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int HeadBytes = 16;

    /// <summary>(kind, media type) of binary formats recognised by magic number, or null (then it may be text).</summary>
    public static (ContentKind Kind, string MediaType)? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return (ContentKind.Image, "image/png");
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return (ContentKind.Image, "image/jpeg");
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return (ContentKind.Image, "image/gif");
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return (ContentKind.Image, "image/webp");
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8)) return (ContentKind.Audio, "audio/wav");
        if (head.StartsWith("fLaC"u8)) return (ContentKind.Audio, "audio/flac");
        if (head.StartsWith("OggS"u8)) return (ContentKind.Audio, "audio/ogg");
        if (head.StartsWith("ID3"u8)) return (ContentKind.Audio, "audio/mpeg");
        if (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0) return (ContentKind.Audio, "audio/mpeg");
        return null;
    }
}

/// <summary>Streaming check that a body is UTF-8 text: strict decoding across chunk boundaries, no NUL characters.</summary>
public sealed class Utf8Validator
{
    private readonly Decoder _decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
    private readonly char[] _chars = new char[64 * 1024 + 4];

    public bool IsText { get; private set; } = true;

    public void Update(ReadOnlySpan<byte> chunk, bool final = false)
    {
        if (!IsText) return;
        try
        {
            while (!chunk.IsEmpty || final)
            {
                var take = Math.Min(chunk.Length, 64 * 1024);
                int n = _decoder.GetChars(chunk[..take], _chars, flush: final && take == chunk.Length);
                if (_chars.AsSpan(0, n).Contains('\0')) { IsText = false; return; }
                chunk = chunk[take..];
                if (chunk.IsEmpty) break;
            }
        }
        catch (DecoderFallbackException)
        {
            IsText = false;
        }
    }
}
