global using CompassCi.Contracts.Jobs;
global using CompassCi.Grains.Jobs;
global using CompassCi.Grains.Submit;
