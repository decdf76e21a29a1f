using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MicipPlanner.Migrations.PostgreSql.Migrations
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DistrictId = table.Column<int>(type: "integer", nullable: false),
                    WorkshopId = table.Column<int>(type: "integer", nullable: false),
                    RatingGroupId = table.Column<int>(type: "integer", nullable: false),
                    Position = table.Column<int>(type: "integer", nullable: false),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
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
            // deleted since are dropped.
            migrationBuilder.Sql("""
                INSERT INTO "WorkshopGroups" ("DistrictId", "WorkshopId", "RatingGroupId", "Position", "Version")
                SELECT w."DistrictId", w."Id", g."Id", (MIN(listed.at) - 1)::integer, gen_random_uuid()
                FROM "Workshops" AS w
                CROSS JOIN LATERAL unnest(string_to_array(w."GroupIds", ',')) WITH ORDINALITY AS listed(id, at)
                JOIN "RatingGroups" AS g ON g."Id"::text = btrim(listed.id)
                GROUP BY w."DistrictId", w."Id", g."Id";
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
                type: "character varying(400)",
                maxLength: 400,
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("""
                UPDATE "Workshops" AS w SET "GroupIds" = COALESCE((
                    SELECT string_agg(g."RatingGroupId"::text, ',' ORDER BY g."Position")
                    FROM "WorkshopGroups" AS g WHERE g."WorkshopId" = w."Id"
                ), '');
                """);

            migrationBuilder.DropTable(
                name: "WorkshopGroups");
        }
    }
}
