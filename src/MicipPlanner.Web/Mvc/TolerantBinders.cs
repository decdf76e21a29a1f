using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace MicipPlanner.Web.Mvc;

/// <summary>
/// Binders for check boxes (bool) and record versions (Guid) that turn a broken posted value into a
/// readable error instead of an exception: the stock binders keep the raw text as the attempted value,
/// and re-rendering a check box from it throws. A broken version is a page-level error ("reload").
/// </summary>
public sealed class TolerantBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.ModelType == typeof(bool) ? new BooleanBinder()
        : context.Metadata.ModelType == typeof(Guid) || context.Metadata.ModelType == typeof(Guid?) ? new VersionBinder(context.Metadata.ModelType == typeof(Guid?))
        : null;

    private sealed class BooleanBinder : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext context)
        {
            var posted = context.ValueProvider.GetValue(context.ModelName);
            if (posted == ValueProviderResult.None) return Task.CompletedTask;
            // A check box posts "true" followed by its hidden "false"; the first value counts.
            if (bool.TryParse(posted.FirstValue, out var value))
            {
                context.ModelState.SetModelValue(context.ModelName, posted);
                context.Result = ModelBindingResult.Success(value);
            }
            else
            {
                context.ModelState.SetModelValue(context.ModelName, rawValue: "false", attemptedValue: "false");
                context.ModelState.TryAddModelError(context.ModelName, "Tick the box or leave it empty.");
                context.Result = ModelBindingResult.Failed();
            }
            return Task.CompletedTask;
        }
    }

    private sealed class VersionBinder(bool nullable) : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext context)
        {
            var posted = context.ValueProvider.GetValue(context.ModelName);
            if (posted == ValueProviderResult.None) return Task.CompletedTask;
            context.ModelState.SetModelValue(context.ModelName, posted);
            var text = posted.FirstValue;
            if (string.IsNullOrEmpty(text) && nullable)
                context.Result = ModelBindingResult.Success(null);
            else if (Guid.TryParse(text, out var value))
                context.Result = ModelBindingResult.Success(value);
            else
            {
                context.ModelState.TryAddModelError("", "This page is out of date or damaged. Reload it and make your change again.");
                context.ModelState.TryAddModelError(context.ModelName, "Unknown version.");
                context.Result = ModelBindingResult.Failed();
            }
            return Task.CompletedTask;
        }
    }
}
