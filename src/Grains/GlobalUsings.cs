global using Orleans;
global using Orleans.Concurrency;
global using CompassCi.Contracts.Jobs;
global using CompassCi.Contracts.Queues;
global using CompassCi.Contracts.Clusters;
global using CompassCi.Contracts.Hosts;
