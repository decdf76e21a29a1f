namespace MicipPlanner.Infrastructure.Pdf;

/// <summary>Configuration section <c>Pdf</c>: where Chromium lives and how long a print may take.</summary>
public sealed class PdfOptions
{
    public const string Section = "Pdf";

    /// <summary>Chromium, Chrome or Edge executable. Empty: look in the usual install places.</summary>
    public string? BrowserPath { get; set; }

    /// <summary>Longest time one document may take to print before it fails and frees its slot.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Longest time the browser may take to start. Kept apart from the print timeout: a cold start on a
    /// busy server is slow and is not the document's fault.</summary>
    public int StartTimeoutSeconds { get; set; } = 60;

    /// <summary>Longest time a request waits in the queue for a free slot.</summary>
    public int QueueTimeoutSeconds { get; set; } = 90;

    /// <summary>Documents printed at the same time; 0 = one per processor core (at most 4).</summary>
    public int MaxConcurrency { get; set; }

    public int EffectiveConcurrency => MaxConcurrency > 0 ? MaxConcurrency : Math.Clamp(Environment.ProcessorCount, 1, 4);
}

/// <summary>How one document is printed.</summary>
/// <param name="Landscape">Fallback orientation; the document's CSS <c>@page size</c> wins.</param>
public sealed record PdfPrintOptions(bool Landscape = false);
