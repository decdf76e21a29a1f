using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MicipPlanner.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class WorkshopGroupsAsRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "WorkshopGroups",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    DistrictId = table.Column<int>(type: "int", nullable: false),
                    WorkshopId = table.Column<int>(type: "int", nullable: false),
                    RatingGroupId = table.Column<int>(type: "int", nullable: false),
                    Position = table.Column<int>(type: "int", nullable: false),
                    Version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_WorkshopGroups", x => x.Id);
                    table.ForeignKey(
                        name: "FK_WorkshopGroups_RatingGroups_RatingGroupId",
                        column: x => x.RatingGroupId,
                        principalTable: "RatingGroups",
                        principalColumn: "Id");
                    table.ForeignKey(
                        name: "FK_WorkshopGroups_Workshops_WorkshopId",
                        column: x => x.WorkshopId,
                        principalTable: "Workshops",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopGroups_RatingGroupId",
                table: "WorkshopGroups",
                column: "RatingGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkshopGroups_WorkshopId_RatingGroupId",
                table: "WorkshopGroups",
                columns: new[] { "WorkshopId", "RatingGroupId" },
                unique: true);

            // Each workshop's comma-separated group ids become rows, in the order they were listed; ids of groups
            // deleted since are dropped. Run through EXEC: an idempotent script compiles every block, even one it skips,
            // and a statement naming the dropped column would not compile on a database already past this migration.
            migrationBuilder.Sql("""
                EXEC(N'
                INSERT INTO [WorkshopGroups] ([DistrictId], [WorkshopId], [RatingGroupId], [Position], [Version])
                SELECT [DistrictId], [WorkshopId], [RatingGroupId], ROW_NUMBER() OVER (PARTITION BY [WorkshopId] ORDER BY [At]) - 1, NEWID()
                FROM (
                    SELECT w.[DistrictId], w.[Id] AS [WorkshopId], g.[Id] AS [RatingGroupId],
                           MIN(CHARINDEX('','' + LTRIM(RTRIM(listed.[value])) + '','', '','' + REPLACE(w.[GroupIds], '' '', '''') + '','')) AS [At]
                    FROM [Workshops] AS w
                    CROSS APPLY STRING_SPLIT(w.[GroupIds], '','') AS listed
                    JOIN [RatingGroups] AS g ON g.[Id] = TRY_CAST(listed.[value] AS int)
                    GROUP BY w.[DistrictId], w.[Id], g.[Id]
                ) AS chosen;
                ');
                """);

            migrationBuilder.DropColumn(
                name: "GroupIds",
                table: "Workshops");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "GroupIds",
                table: "Workshops",
                type: "nvarchar(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("""
                EXEC(N'
                UPDATE w SET [GroupIds] = COALESCE((
                    SELECT STRING_AGG(CAST(g.[RatingGroupId] AS nvarchar(20)), '','') WITHIN GROUP (ORDER BY g.[Position])
                    FROM [WorkshopGroups] AS g WHERE g.[WorkshopId] = w.[Id]
                ), '''')
                FROM [Workshops] AS w;
                ');
                """);

            migrationBuilder.DropTable(
                name: "WorkshopGroups");
        }
    }
}
