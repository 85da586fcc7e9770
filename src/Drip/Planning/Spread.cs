using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Drip.Planning;

/// <summary>
/// A stable pseudo-random number in [0, 1) from a key: spreads sends across a window (not all at 10:00)
/// and picks a day in a range, the same way every time the same send is planned.
/// </summary>
public static class Spread
{
    public static double Of(string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return (BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11) / (double)(1UL << 53);
    }
}
