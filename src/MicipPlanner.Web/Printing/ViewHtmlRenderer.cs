using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewEngines;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace MicipPlanner.Web.Printing;

/// <summary>Renders a Razor view to an HTML string on the server (for the PDF printer).</summary>
public sealed class ViewHtmlRenderer(ICompositeViewEngine engine, ITempDataProvider tempData, IModelMetadataProvider metadata)
{
    /// <summary>
    /// <paramref name="view"/> is a path (~/Features/…/X.cshtml) or, like a controller's View(name), a name looked up in
    /// the feature of the controller that <paramref name="context"/> belongs to.
    /// </summary>
    public async Task<string> RenderAsync(ActionContext context, string view, object model)
    {
        var found = engine.GetView(executingFilePath: null, view, isMainPage: true);
        if (!found.Success) found = engine.FindView(context, view, isMainPage: true);
        if (!found.Success) throw new InvalidOperationException($"View {view} not found.");
        await using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var viewData = new ViewDataDictionary(metadata, new ModelStateDictionary()) { Model = model };
        var viewContext = new ViewContext(context, found.View, viewData, new TempDataDictionary(context.HttpContext, tempData), writer, new HtmlHelperOptions());
        await found.View.RenderAsync(viewContext);
        return writer.ToString();
    }
}
