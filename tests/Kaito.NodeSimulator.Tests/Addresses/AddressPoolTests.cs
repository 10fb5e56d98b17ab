using Kaito.NodeSimulator.Addresses;

namespace Kaito.NodeSimulator.Tests.Addresses;

public sealed class AddressPoolTests
{
    [Fact]
    public void Addresses_come_from_192_0_2_first_then_the_other_documentation_ranges_and_never_repeat()
    {
        var pool = new AddressPool();

        var addresses = Enumerable.Range(0, 762).Select(i => pool.Allocate("owner-" + i)).ToList();

        Assert.Equal("192.0.2.1", addresses[0]);
        Assert.Equal("192.0.2.254", addresses[253]);
        Assert.Equal("198.51.100.1", addresses[254]);
        Assert.Equal("203.0.113.254", addresses[^1]);
        Assert.Equal(762, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.True(AddressPool.Contains(a), a));
        Assert.Throws<InvalidOperationException>(() => pool.Allocate("one-too-many"));
    }

    [Fact]
    public void A_released_or_reserved_address_is_tracked_per_owner()
    {
        var pool = new AddressPool();
        pool.Reserve("node-a", "198.51.100.7");

        Assert.Equal("198.51.100.7", pool.Allocate("node-a"));
        Assert.Equal("192.0.2.1", pool.Allocate("pod-b"));
        pool.Release("node-a");
        Assert.False(AddressPool.Contains("127.0.0.1"));
        Assert.False(AddressPool.Contains("192.0.2.255"));
        Assert.Equal("192.0.2.2", pool.Allocate("pod-c"));
    }
}
