# syntax=docker/dockerfile:1
# The Catwalk.Web image (built from the repository root: fly.toml points here). Multi-stage: the SDK publishes,
# the ASP.NET runtime image runs it as its non-root `app` user on :8080.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so the layer is reused until a dependency changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY Catwalk.Core/Catwalk.Core.csproj Catwalk.Core/
COPY Catwalk.Web/Catwalk.Web.csproj Catwalk.Web/
RUN dotnet restore Catwalk.Web/Catwalk.Web.csproj
COPY Catwalk.Core/ Catwalk.Core/
COPY Catwalk.Web/ Catwalk.Web/
RUN dotnet publish Catwalk.Web/Catwalk.Web.csproj --configuration Release --no-restore --output /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production
EXPOSE 8080
USER $APP_UID
# No ENTRYPOINT: Fly's release_command ("dotnet Catwalk.Web.dll migrate") replaces this command as a whole.
CMD ["dotnet", "Catwalk.Web.dll"]
