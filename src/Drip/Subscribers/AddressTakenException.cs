namespace Drip.Subscribers;

/// <summary>A subscriber was to be added with an address another subscriber record already has; nothing was written.</summary>
public sealed class AddressTakenException(Exception inner) : Exception("an address to be added is already on the list", inner);
