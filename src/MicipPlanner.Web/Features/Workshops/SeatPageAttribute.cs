using Microsoft.AspNetCore.Mvc.Filters;

namespace MicipPlanner.Web.Features.Workshops;

/// <summary>
/// A participant action of workshop mode, as <c>[CyclePage]</c> is a district page: before the action runs, the seat of
/// the participant cookie is taken (the action starts from <c>CurrentSeat</c>), or the request is answered instead — no
/// seat: back to the join page (401 for a script); removed: 403; workshop ended: 410. Runs before the refused-form filter,
/// so those come before a refused form's answer.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SeatPageAttribute : Attribute, IAsyncActionFilter
{
    /// <summary>Refusals are always answered as problems (a script's poll), never as a page.</summary>
    public bool Json { get; init; }

    /// <summary>Refusals are answered as problems when the request asks for JSON (an autosave), else as a page.</summary>
    public bool JsonWhenAsked { get; init; }

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var controller = context.Controller as ISeatController
            ?? throw new InvalidOperationException("[SeatPage] is for the participant actions of workshop mode.");
        var refusal = await controller.TakeSeatAsync(Json || (JsonWhenAsked && context.HttpContext.Request.WantsJson()));
        if (refusal is not null)
        {
            context.Result = refusal;
            return;
        }
        await next();
    }
}
