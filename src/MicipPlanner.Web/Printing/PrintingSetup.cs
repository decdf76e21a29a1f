using MicipPlanner.Infrastructure.Pdf;

namespace MicipPlanner.Web.Printing;

public static class PrintingSetup
{
    /// <summary>PDF renderer (with its /healthz entry), view-to-HTML renderer, print styles and the PDF responses.</summary>
    public static IServiceCollection AddPrinting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPdfRendering(configuration);
        services.AddSingleton<PrintStyles>();
        services.AddScoped<ViewHtmlRenderer>();
        services.AddScoped<PdfWriter>();
        services.AddScoped<PagePdfWriter>();
        return services;
    }
}
