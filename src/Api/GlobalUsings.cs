global using CompassCi.Contracts.Jobs;
global using CompassCi.Contracts.Queues;
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Routing;
global using Orleans;
global using CompassCi.Contracts.Clusters;
global using CompassCi.Contracts.Hosts;
