global using Orleans;
global using Orleans.Concurrency;
global using CompassCi.Contracts.Jobs;
global using CompassCi.Grains.Clusters;
global using CompassCi.Grains.Hosts;
global using CompassCi.Grains.Jobs;
global using CompassCi.Grains.Queues;
