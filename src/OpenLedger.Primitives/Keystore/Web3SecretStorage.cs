using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenLedger.Primitives.Crypto;

namespace OpenLedger.Primitives.Keystore;

/// <summary>
/// Web3 Secret Storage v3 (the geth/MetaMask keystore JSON): a private key encrypted with AES-128-CTR under a key
/// derived from a password by scrypt or PBKDF2-HMAC-SHA256, authenticated by keccak256(dk[16..32] ++ ciphertext).
/// </summary>
public static class Web3SecretStorage
{
    /// <summary>geth's "standard" scrypt setting (256 MiB, about a second) with a fresh random salt.</summary>
    public static ScryptParameters StandardScrypt() => new(1 << 18, 8, 1, 32, RandomNumberGenerator.GetBytes(32));

    /// <summary>geth's "light" scrypt setting (4 MiB) with a fresh random salt.</summary>
    public static ScryptParameters LightScrypt() => new(1 << 12, 8, 6, 32, RandomNumberGenerator.GetBytes(32));

    /// <summary>Encrypts a 32-byte private key. Null arguments are chosen randomly (standard scrypt, random IV and UUID).</summary>
    public static string Encrypt(ReadOnlySpan<byte> privateKey32, string password, KdfParameters? kdf = null, byte[]? iv = null, Guid? id = null)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (privateKey32.Length != 32) throw new ArgumentException($"private key must be 32 bytes, got {privateKey32.Length}", nameof(privateKey32));
        if (!Secp256k1.IsValidPrivateKey(privateKey32)) throw new ArgumentException("not a valid secp256k1 private key", nameof(privateKey32));
        kdf ??= StandardScrypt();
        iv ??= RandomNumberGenerator.GetBytes(16);
        var derived = kdf.Derive(Encoding.UTF8.GetBytes(password));
        var ciphertext = AesCtr.Transform(derived.AsSpan(0, 16), iv, privateKey32);
        var mac = Mac(derived, ciphertext);
        var address = Secp256k1.AddressFromPrivateKey(privateKey32);

        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            w.WriteString("address", Hex.Encode(address.Bytes, prefix: false));
            w.WriteStartObject("crypto");
            w.WriteString("cipher", "aes-128-ctr");
            w.WriteString("ciphertext", Hex.Encode(ciphertext, prefix: false));
            w.WriteStartObject("cipherparams");
            w.WriteString("iv", Hex.Encode(iv, prefix: false));
            w.WriteEndObject();
            w.WriteString("kdf", kdf.Name);
            w.WriteStartObject("kdfparams");
            w.WriteNumber("dklen", kdf.DkLen);
            switch (kdf)
            {
                case ScryptParameters s:
                    w.WriteNumber("n", s.N);
                    w.WriteNumber("p", s.P);
                    w.WriteNumber("r", s.R);
                    break;
                case Pbkdf2Parameters p:
                    w.WriteNumber("c", p.C);
                    w.WriteString("prf", "hmac-sha256");
                    break;
                default:
                    throw new ArgumentException($"unsupported kdf {kdf.GetType().Name}", nameof(kdf));
            }
            w.WriteString("salt", Hex.Encode(kdf.Salt, prefix: false));
            w.WriteEndObject();
            w.WriteString("mac", Hex.Encode(mac, prefix: false));
            w.WriteEndObject();
            w.WriteString("id", (id ?? Guid.NewGuid()).ToString("D"));
            w.WriteNumber("version", 3);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Decrypts the private key; <see cref="KeystoreException"/> for a wrong password or a malformed file.</summary>
    public static byte[] Decrypt(string json, string password)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(password);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            throw new KeystoreException("keystore is not valid JSON: " + e.Message);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new KeystoreException("keystore JSON must be an object");
            int version = GetInt(root, "version");
            if (version != 3) throw new KeystoreException($"unsupported keystore version {version} (only 3)");
            // geth wrote "Crypto" in early files; both spellings are in the wild.
            var crypto = TryGet(root, "crypto", out var c) ? c : TryGet(root, "Crypto", out c) ? c : throw new KeystoreException("missing \"crypto\"");
            if (crypto.ValueKind != JsonValueKind.Object) throw new KeystoreException("\"crypto\" must be an object");

            var cipher = GetString(crypto, "cipher");
            if (cipher != "aes-128-ctr") throw new KeystoreException($"unsupported cipher \"{cipher}\" (only aes-128-ctr)");
            var cipherParams = GetObject(crypto, "cipherparams");
            var iv = GetHex(cipherParams, "iv");
            if (iv.Length != 16) throw new KeystoreException($"cipherparams.iv must be 16 bytes, got {iv.Length}");
            var ciphertext = GetHex(crypto, "ciphertext");
            if (ciphertext.Length != 32) throw new KeystoreException($"ciphertext must be 32 bytes (a private key), got {ciphertext.Length}");
            var mac = GetHex(crypto, "mac");
            if (mac.Length != 32) throw new KeystoreException($"mac must be 32 bytes, got {mac.Length}");

            var kdf = ReadKdf(GetString(crypto, "kdf"), GetObject(crypto, "kdfparams"));
            var derived = kdf.Derive(Encoding.UTF8.GetBytes(password));
            if (!CryptographicOperations.FixedTimeEquals(Mac(derived, ciphertext), mac))
                throw new KeystoreException("wrong password (MAC mismatch)");

            var key = AesCtr.Transform(derived.AsSpan(0, 16), iv, ciphertext);
            if (!Secp256k1.IsValidPrivateKey(key)) throw new KeystoreException("decrypted key is not a valid secp256k1 private key");
            if (TryGet(root, "address", out var addrElement) && addrElement.ValueKind == JsonValueKind.String)
            {
                var text = addrElement.GetString()!;
                if (!Hex.TryDecode(text, out var addr) || addr.Length != 20)
                    throw new KeystoreException($"\"address\" is not a 20-byte hex string: {text}");
                if (!Secp256k1.AddressFromPrivateKey(key).Bytes.SequenceEqual(addr))
                    throw new KeystoreException("\"address\" does not match the decrypted key");
            }
            return key;
        }
    }

    private static KdfParameters ReadKdf(string name, JsonElement p) => name switch
    {
        "scrypt" => new ScryptParameters(GetInt(p, "n"), GetInt(p, "r"), GetInt(p, "p"), GetInt(p, "dklen"), GetHex(p, "salt")),
        "pbkdf2" => GetString(p, "prf") == "hmac-sha256"
            ? new Pbkdf2Parameters(GetInt(p, "c"), GetInt(p, "dklen"), GetHex(p, "salt"))
            : throw new KeystoreException($"unsupported pbkdf2 prf \"{GetString(p, "prf")}\" (only hmac-sha256)"),
        _ => throw new KeystoreException($"unsupported kdf \"{name}\" (scrypt or pbkdf2)"),
    };

    private static byte[] Mac(ReadOnlySpan<byte> derived, ReadOnlySpan<byte> ciphertext)
    {
        var input = new byte[16 + ciphertext.Length];
        derived.Slice(16, 16).CopyTo(input);
        ciphertext.CopyTo(input.AsSpan(16));
        var mac = new byte[32];
        Keccak256.Hash(input, mac);
        return mac;
    }

    private static bool TryGet(JsonElement obj, string name, out JsonElement value) => obj.TryGetProperty(name, out value);

    private static JsonElement Get(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) ? v : throw new KeystoreException($"missing \"{name}\"");

    private static JsonElement GetObject(JsonElement obj, string name)
    {
        var v = Get(obj, name);
        return v.ValueKind == JsonValueKind.Object ? v : throw new KeystoreException($"\"{name}\" must be an object");
    }

    private static string GetString(JsonElement obj, string name)
    {
        var v = Get(obj, name);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new KeystoreException($"\"{name}\" must be a string");
    }

    private static int GetInt(JsonElement obj, string name)
    {
        var v = Get(obj, name);
        return v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
            ? i
            : throw new KeystoreException($"\"{name}\" must be an integer that fits in 32 bits, got {v.GetRawText()}");
    }

    private static byte[] GetHex(JsonElement obj, string name)
    {
        var text = GetString(obj, name);
        if (text.Length > 2 * 4096) throw new KeystoreException($"\"{name}\" is too long ({text.Length} characters)");
        return Hex.TryDecode(text, out var bytes) ? bytes : throw new KeystoreException($"\"{name}\" is not valid hex");
    }
}
