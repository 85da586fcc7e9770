using System.ComponentModel.DataAnnotations;

namespace Drip.Delivery;

/// <summary>Who the letters are from (section <c>Sender</c>).</summary>
public sealed class SenderOptions
{
    public const string Section = "Sender";

    [Required]
    public string Name { get; set; } = "";

    [Required, EmailAddress]
    public string Address { get; set; } = "";

    /// <summary>Where replies go, when not to <see cref="Address"/>.</summary>
    [EmailAddress]
    public string? ReplyTo { get; set; }

    /// <summary>The envelope sender (Return-Path) that receives bounces; defaults to <see cref="Address"/>.</summary>
    [EmailAddress]
    public string? BounceAddress { get; set; }

    /// <summary>A mailbox that unsubscribes whoever writes to it; offered as the mailto: in List-Unsubscribe.</summary>
    [EmailAddress]
    public string? UnsubscribeAddress { get; set; }

    /// <summary>The physical postal address every commercial letter must carry (CAN-SPAM).</summary>
    [Required(ErrorMessage = "Sender:PostalAddress is required: every marketing letter must show the sender's postal address.")]
    public string PostalAddress { get; set; } = "";

    public string Domain => Address[(Address.LastIndexOf('@') + 1)..];
}
