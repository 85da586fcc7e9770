using System.ComponentModel.DataAnnotations;

namespace Drip.Reporting;

/// <summary>How fresh the dashboard's heavy figures are kept (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>
    /// The structure of the base and the next 7 days read every mailable subscriber (and run the planner for each):
    /// seconds at a million, so they are computed in the background at most this often and shown with their age.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RefreshEvery { get; set; } = TimeSpan.FromMinutes(5);
}
