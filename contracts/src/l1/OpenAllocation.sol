// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title OpenAllocation
/// @notice The one table of OPEN's genesis allocation, in basis points of the fixed supply.
/// @dev Defaults: community 51.71%, investors 18.29%, team 15%, ecosystem 10%, liquidity 5%.
/// A deployment may pass another table; `validate` rejects any table that does not sum to exactly 10,000 bps.
library OpenAllocation {
    /// @notice Basis points in 100%.
    uint256 internal constant BPS_TOTAL = 10_000;

    /// @notice Shares of the supply, in basis points.
    struct Shares {
        uint16 community;
        uint16 investors;
        uint16 team;
        uint16 ecosystem;
        uint16 liquidity;
    }

    /// @notice Where each share is minted. Team and investors should be vesting wallets.
    struct Recipients {
        address community;
        address investors;
        address team;
        address ecosystem;
        address liquidity;
    }

    /// @notice The table does not sum to 10,000 bps.
    error AllocationNotFull(uint256 sumBps);
    /// @notice A recipient is the zero address.
    error ZeroRecipient();

    /// @notice The default table (sums to 10,000 bps).
    function defaults() internal pure returns (Shares memory) {
        return Shares({community: 5171, investors: 1829, team: 1500, ecosystem: 1000, liquidity: 500});
    }

    /// @notice Reverts unless the shares sum to exactly 10,000 bps and every recipient is set.
    function validate(Shares memory s, Recipients memory r) internal pure {
        uint256 sum = uint256(s.community) + s.investors + s.team + s.ecosystem + s.liquidity;
        if (sum != BPS_TOTAL) revert AllocationNotFull(sum);
        if (
            r.community == address(0) || r.investors == address(0) || r.team == address(0) || r.ecosystem == address(0)
                || r.liquidity == address(0)
        ) revert ZeroRecipient();
    }

    /// @notice Token amounts for a supply; the community share takes any rounding remainder so the sum is exact.
    function amounts(Shares memory s, uint256 supply)
        internal
        pure
        returns (uint256 community, uint256 investors, uint256 team, uint256 ecosystem, uint256 liquidity)
    {
        investors = supply * s.investors / BPS_TOTAL;
        team = supply * s.team / BPS_TOTAL;
        ecosystem = supply * s.ecosystem / BPS_TOTAL;
        liquidity = supply * s.liquidity / BPS_TOTAL;
        community = supply - investors - team - ecosystem - liquidity;
    }
}
