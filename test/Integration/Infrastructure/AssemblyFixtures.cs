using CompassCi.Tests.Integration.Infrastructure;

// One MariaDB server for the whole test run; each test class takes its own database on it.
[assembly: AssemblyFixture(typeof(MariaDbFixture))]
