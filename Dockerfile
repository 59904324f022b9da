# Multi-stage build: the SDK image builds and publishes; the runtime image carries IPOPT from Debian.
FROM mcr.microsoft.com/dotnet/sdk:10.0-bookworm-slim AS build
# npm brings the dashboard's chart library in at build time; the runtime image needs neither node nor network.
RUN apt-get update \
 && apt-get install -y --no-install-recommends nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/ProcessOptimizer/ProcessOptimizer.csproj -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-bookworm-slim AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends coinor-libipopt1v5 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
# The bundled kiln example, so that the image also runs on its embedded defaults.
COPY examples/kiln/store /app/examples/kiln/store
COPY examples/kiln/data /app/examples/kiln/data
ENV Urls=http://0.0.0.0:8005
EXPOSE 8005
USER app
ENTRYPOINT ["dotnet", "ProcessOptimizer.dll"]
CMD ["run"]
