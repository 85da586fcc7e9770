using System.Security.Cryptography;
using System.Text.Json;

namespace Drip.Security;

/// <summary>
/// Builds the <see cref="TokenSigner"/> from configured keys (checked at start-up by <see cref="SigningOptionsValidator"/>),
/// or from a key generated once and kept in the data folder with mode 600: a per-installation secret, like ASP.NET's
/// data-protection key ring, so a fresh clone runs with no configuration and yet no two installations share a key.
/// </summary>
public static class SigningKeyRing
{
    public static TokenSigner Load(SigningOptions options, string dataPath)
    {
        if (options.Keys.Count > 0)
        {
            var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (id, value) in options.Keys)
            {
                try
                {
                    keys[id] = Convert.FromBase64String(value);
                }
                catch (FormatException)
                {
                    throw new InvalidOperationException($"Signing:Keys:{id} is not base64");
                }
            }
            var current = options.CurrentKeyId ?? keys.Keys.Order(StringComparer.Ordinal).Last();
            return new TokenSigner(keys, current);
        }
        var file = Path.Combine(dataPath, "signing-key.json");
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(dataPath);
            var generated = new StoredKey("local1", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            var temp = file + ".tmp";
            File.Delete(temp);
            // Readable by Drip's own user only, from the moment it exists: the key is this installation's secret.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var stream = new FileStream(temp, create))
            {
                JsonSerializer.Serialize(stream, generated);
            }
            File.Move(temp, file);
        }
        var stored = JsonSerializer.Deserialize<StoredKey>(File.ReadAllText(file))
            ?? throw new InvalidOperationException($"{file} is empty");
        return new TokenSigner(new Dictionary<string, byte[]> { [stored.Id] = Convert.FromBase64String(stored.Key) }, stored.Id);
    }

    private sealed record StoredKey(string Id, string Key);
}
