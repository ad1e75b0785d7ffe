using System.Text;
using OpenLedger.Primitives;

namespace OpenLedger.Datanets.Content;

/// <summary>What was written: the checked hash, size, media type and (for text) the text to index.</summary>
public sealed record StoredContent(Hash256 Hash, long Size, string MediaType, string? Text, bool AlreadyPresent);

/// <summary>
/// Content-addressed files under <c>{root}/objects/ab/cd/&lt;keccak256 hex&gt;</c>. A body streams into a temporary file
/// while its keccak256 is computed and its type checked; only when size, hash and type all match is it fsynced and
/// renamed into place (atomic; the same bytes already there are kept and the copy dropped). Paths are built from a
/// <see cref="Hash256"/> only, never from anything a client sent, so no request names a file. Writers and the
/// pending-upload sweeper for one hash are serialized by a striped lock.
/// </summary>
public sealed class ContentStore
{
    /// <summary>Most text kept for full-text search per contribution.</summary>
    public const int MaxIndexedTextBytes = 1 << 20;

    private readonly string _objects;
    private readonly string _tmp;
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public ContentStore(string root)
    {
        Root = Path.GetFullPath(root);
        _objects = Path.Combine(Root, "objects");
        _tmp = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(_objects);
        Directory.CreateDirectory(_tmp);
        // Temporary files of a process that died mid-upload.
        foreach (var f in Directory.EnumerateFiles(_tmp)) TryDelete(f);
    }

    public string Root { get; }

    public string PathOf(in Hash256 hash)
    {
        var hex = Convert.ToHexStringLower(hash.Bytes);
        return Path.Combine(_objects, hex[..2], hex[2..4], hex);
    }

    public bool Exists(in Hash256 hash) => File.Exists(PathOf(hash));

    public Stream OpenRead(in Hash256 hash) =>
        new FileStream(PathOf(hash), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Runs <paramref name="action"/> holding the lock of <paramref name="hash"/>.</summary>
    public async Task<T> WithLockAsync<T>(Hash256 hash, Func<Task<T>> action, CancellationToken ct = default)
    {
        var l = _locks[hash.Bytes[0] & 63];
        await l.WaitAsync(ct);
        try { return await action(); }
        finally { l.Release(); }
    }

    /// <summary>Deletes the object (call under <see cref="WithLockAsync{T}"/> after checking nothing refers to it).</summary>
    public void Delete(in Hash256 hash) => TryDelete(PathOf(hash));

    /// <summary>
    /// Streams <paramref name="body"/> to a temporary file; refuses more than <paramref name="size"/> bytes, a different
    /// hash, or bytes that are not of <paramref name="kind"/>. Returns the temporary file; <see cref="CommitAsync"/> moves it into place.
    /// </summary>
    public async Task<(string TempFile, StoredContent Content)> ReceiveAsync(Stream body, long size, Hash256 expected, ContentKind kind, CancellationToken ct)
    {
        var temp = Path.Combine(_tmp, Guid.NewGuid().ToString("N"));
        var hasher = new Keccak256Hasher();
        var utf8 = kind == ContentKind.Text ? new Utf8Validator() : null;
        var head = new byte[ContentSniffer.HeadBytes];
        int headLen = 0;
        long total = 0;
        var text = kind == ContentKind.Text ? new MemoryStream() : null;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous))
            {
                while (true)
                {
                    int n = await body.ReadAsync(buffer.AsMemory(0, buffer.Length), ct);
                    if (n == 0) break;
                    total += n;
                    if (total > size)
                        throw new ApiException(413, "Body larger than signed", $"the body has more than the {size} bytes the signature covers");
                    var chunk = buffer.AsSpan(0, n);
                    hasher.Update(chunk);
                    if (headLen < head.Length)
                    {
                        int take = Math.Min(head.Length - headLen, n);
                        chunk[..take].CopyTo(head.AsSpan(headLen));
                        headLen += take;
                    }
                    utf8?.Update(chunk);
                    if (text != null && text.Length < MaxIndexedTextBytes) text.Write(chunk[..(int)Math.Min(n, MaxIndexedTextBytes - text.Length)]);
                    await file.WriteAsync(buffer.AsMemory(0, n), ct);
                }
                if (total != size)
                    throw new ApiException(400, "Body shorter than signed", $"the body has {total} bytes; the signature covers {size}");
                var actual = hasher.Finish();
                if (actual != expected)
                    throw new ApiException(400, "Content hash mismatch", $"the body hashes to {actual} (keccak256), not the signed {expected}");
                utf8?.Update([], final: true);
                var sniffed = ContentSniffer.Sniff(head.AsSpan(0, headLen));
                string mediaType;
                if (kind == ContentKind.Text)
                {
                    if (sniffed != null || !utf8!.IsText)
                        throw new ApiException(415, "Not text", $"this Datanet holds text; the bytes are {(sniffed?.MediaType ?? "not UTF-8 text")}");
                    mediaType = "text/plain; charset=utf-8";
                }
                else
                {
                    if (sniffed is not { } s || s.Kind != kind)
                        throw new ApiException(415, $"Not {kind.ToString().ToLowerInvariant()}",
                            $"this Datanet holds {kind.ToString().ToLowerInvariant()}; the bytes are {(sniffed?.MediaType ?? "of no recognised format")} (accepted: {Accepted(kind)})");
                    mediaType = s.MediaType;
                }
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
                string? indexed = null;
                if (text != null)
                {
                    var bytes = text.ToArray();
                    indexed = new UTF8Encoding(false, false).GetString(bytes); // a cut multi-byte tail becomes U+FFFD
                }
                return (temp, new StoredContent(actual, total, mediaType, indexed, false));
            }
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves a received file into place (call under the hash's lock); the same object already stored wins.</summary>
    public bool Commit(string tempFile, in Hash256 hash)
    {
        var final = PathOf(hash);
        if (File.Exists(final))
        {
            TryDelete(tempFile);
            return false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        File.Move(tempFile, final);
        return true;
    }

    public static void TryDelete(string file)
    {
        try { File.Delete(file); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string Accepted(ContentKind kind) => kind switch
    {
        ContentKind.Image => "PNG, JPEG, GIF, WebP",
        ContentKind.Audio => "WAV, FLAC, Ogg, MP3",
        _ => "UTF-8 text",
    };
}
