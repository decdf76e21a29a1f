using FluentValidation;
using FluentValidation.AspNetCore;
using MicipPlanner.Domain.Toolkits;
using MicipPlanner.Infrastructure.Data;
using MicipPlanner.Infrastructure.Email;
using MicipPlanner.Infrastructure.Identity;
using MicipPlanner.Web.Features.Districts.Access;
using MicipPlanner.Web.Features.Health;
using MicipPlanner.Web.Features.Live;
using MicipPlanner.Web.Features.Security;
using MicipPlanner.Web.Printing;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace MicipPlanner.Web.Startup;

public static class AppSetup
{
    public static void AddMicipPlanner(this WebApplicationBuilder builder, string[] args)
    {
        if (args.Contains("--seed-demo"))
            builder.Configuration.AddInMemoryCollection([new("Demo:Seed", "true")]);
        var services = builder.Services;
        var configuration = builder.Configuration;

        // The toolkit definitions are validated now: a broken file stops the app with a message
        // naming the bad field, instead of failing on the first page that shows it.
        services.AddSingleton(ToolkitCatalog.LoadEmbedded());
        services.AddSingleton(TimeProvider.System);
        // Registered before Data Protection and everything else that reads the database when the host starts:
        // hosted services start in registration order, and the database must exist and be migrated first.
        services.AddHostedService<DatabaseInitializer>();

        services.AddHttpContextAccessor();
        services.AddSingleton<ICurrentUser, HttpCurrentUser>();
        services.AddScoped<ActingSeatScope>();
        services.AddAppDatabase(builder.Environment.ContentRootPath);

        services.AddIdentity<AppUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireDigit = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/sign-in";
            options.LogoutPath = "/account/sign-out";
            options.AccessDeniedPath = "/account/access-denied";
            options.Cookie.Name = "micip.auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(10);
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "micip.af";
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // Keys live in the database so that several web instances share them (stateless web tier).
        services.AddDataProtection().SetApplicationName("MicipPlanner").PersistKeysToDbContext<AppDbContext>();

        services.AddControllersWithViews(options =>
            {
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                options.ModelBinderProviders.Insert(0, new TolerantBinderProvider());
                // Every form page shown again refused: 400 and the page's summary (Mvc/RefusedFormFilter); scripts post to their own actions.
                options.Filters.Add(new RefusedFormFilter());
                // FluentValidation owns the messages; MVC's implicit "field is required" would pre-empt them.
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                options.ModelBindingMessageProvider.SetAttemptedValueIsInvalidAccessor((value, _) => $"“{value}” is not a valid choice here.");
                options.ModelBindingMessageProvider.SetValueIsInvalidAccessor(value => $"“{value}” is not a valid choice here.");
                options.ModelBindingMessageProvider.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"“{value}” is not a valid choice here.");
                options.ModelBindingMessageProvider.SetValueMustBeANumberAccessor(_ => "Enter a number.");
            })
            .AddRazorOptions(options =>
            {
                // Feature folders: a screen's controller, forms and views live together; View("Name") looks in the
                // folder of the controller's namespace (Mvc/FeatureViewLocationExpander), then in Features/Shared.
                options.ViewLocationFormats.Clear();
                options.ViewLocationFormats.Add("/Features/" + FeatureViewLocationExpander.FeatureToken + "/{0}" + RazorViewEngine.ViewExtension);
                options.ViewLocationFormats.Add("/Features/Shared/{0}" + RazorViewEngine.ViewExtension);
                options.ViewLocationExpanders.Add(new FeatureViewLocationExpander());
            });

        // Keep typographic quotes, accents and emoji readable in the HTML instead of numeric entities.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(options =>
            options.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        // Scripts read refused saves as problem details (Mvc/SaveProblems); the framework writes them.
        services.AddProblemDetails();

        services.AddSingleton<CookieTempDataProvider>();
        services.AddSingleton<ITempDataProvider, QuietTempDataProvider>();

        services.AddFluentValidationAutoValidation();
        services.AddFluentValidationClientsideAdapters();
        services.AddValidatorsFromAssemblyContaining<Program>();
        ValidatorOptions.Global.LanguageManager.Enabled = true;

        services.AddScoped<DistrictAccessService>();
        services.AddScoped<DistrictPageServices>();
        // The networks' published benchmarks (ADR 13, ADR 16) and the meeting page's run charts under their measures' chart
        // versions (ADR 29); everything else a district page shows is read from the database on every request.
        services.AddMemoryCache();
        services.AddSingleton<Features.Plan.KeptRunCharts>();
        services.AddScoped<Features.Organisation.CycleStarter>();
        services.AddScoped<Features.Organisation.InvitationService>();
        services.AddScoped<DemoSeeder>();
        services.AddScoped<Features.Notifications.Notifier>();
        Features.Digest.DigestSetup.AddDigest(services, configuration);
        services.AddScoped<Features.Desk.DeskQuery>();
        // One writer per kind of record: every page that saves the record goes through it.
        services.AddScoped<Features.Rubric.RatingWriter>();
        services.AddScoped<Features.Rubric.DiscussionWriter>();
        services.AddScoped<Features.Activity1.Activity1Writer>();
        services.AddScoped<Features.Balance.BalanceTemplateWriter>();
        services.AddScoped<Features.Plan.PlanWriter>();
        services.AddScoped<Features.Reports.BuildingReportWriter>();
        services.AddScoped<Features.Networks.NetworkQuery>();
        services.AddScoped<MicipPlanner.Infrastructure.Data.Backup.DistrictArchive>();
        services.AddMicipEmail(configuration);
        services.AddMicipHealthChecks(); // /healthz, /healthz/live, /healthz/ready (Features/Health)
        services.AddPrinting(configuration); // PDF renderer (+ its "pdf" health check), print views (Printing/)
        services.AddScoped<Features.Handouts.HandoutPdfWriter>();
        builder.AddMicipSecurity();
        builder.AddMicipOperations(); // trace ids in logs, OpenTelemetry when a collector is named, shutdown timeout
        Features.Workshops.ParticipantCookie.AddWorkshops(builder);
        Features.Live.LiveSetup.AddLive(builder); // the hub, its publisher after each commit, Redis when configured
        Features.ExternalSignIn.ExternalSignInSetup.AddExternalSignIn(builder);
    }

    public static void UseMicipPlanner(this WebApplication app)
    {
        app.UseMicipSecurityHeaders();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error");
        if (Features.Security.SecurityOptions.HttpsRequired(app.Configuration, app.Environment))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
            // With no HTTPS address to redirect to, say what is wrong instead of failing on the first form.
            app.Use(async (context, next) =>
            {
                if (context.Request.IsHttps || context.Request.Path.StartsWithSegments("/healthz")) { await next(context); return; }
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("MICIP Planner requires HTTPS. Open it with https://, put it behind a TLS proxy "
                    + "(and list the proxy in Security:TrustedProxies), or for a trial on a private network set Security:RequireHttps=false.");
            });
        }
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseRouting();
        app.UseLiveSameOrigin();
        app.UseAuthentication();
        app.UseMicipSecurity();
        app.UseAuthorization();
        // wwwroot as endpoints known at build (ADR 18): fingerprinted names cached for a year as immutable, ETags, and the
        // Brotli and gzip copies made at build. Answered straight after routing, as the static-file middleware did before
        // sign-in: no cookie to read, rate limit or two-factor redirect stands between a page and its style sheet.
        app.MapStaticAssets().ShortCircuit();
        app.MapHealthEndpoint();
        // Views' ~/ links to wwwroot files resolve to the fingerprinted names.
        app.MapControllers().WithStaticAssets();
        app.MapLive(); // /live and /join/live (Features/Live)
    }
}
