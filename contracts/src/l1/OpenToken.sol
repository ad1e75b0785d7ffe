// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {OpenAllocation} from "./OpenAllocation.sol";

/// @title OpenToken (OPEN)
/// @notice OpenLedger's L1 token: fixed supply of 1e9 OPEN minted once at deployment to the allocation table,
/// with EIP-2612 permits and timestamp-clocked voting power. There is no mint function.
contract OpenToken is ERC20, ERC20Permit, ERC20Votes {
    /// @notice The fixed total supply: 1,000,000,000 OPEN (18 decimals).
    uint256 public constant TOTAL_SUPPLY = 1_000_000_000e18;

    /// @notice Emitted once, at deployment, with the amounts minted to each allocation recipient.
    event Allocated(
        address community,
        uint256 communityAmount,
        address investors,
        uint256 investorsAmount,
        address team,
        uint256 teamAmount,
        address ecosystem,
        uint256 ecosystemAmount,
        address liquidity,
        uint256 liquidityAmount
    );

    /// @param shares the allocation table in bps (must sum to 10,000)
    /// @param to the recipients of each share (none may be zero)
    constructor(OpenAllocation.Shares memory shares, OpenAllocation.Recipients memory to)
        ERC20("OpenLedger", "OPEN")
        ERC20Permit("OpenLedger")
    {
        OpenAllocation.validate(shares, to);
        (uint256 c, uint256 i, uint256 t, uint256 e, uint256 l) = OpenAllocation.amounts(shares, TOTAL_SUPPLY);
        _mint(to.community, c);
        _mint(to.investors, i);
        _mint(to.team, t);
        _mint(to.ecosystem, e);
        _mint(to.liquidity, l);
        emit Allocated(to.community, c, to.investors, i, to.team, t, to.ecosystem, e, to.liquidity, l);
    }

    /// @notice The voting clock: block timestamps (seconds).
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice EIP-6372 clock description.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    /// @notice The next permit/delegation nonce of `owner`.
    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }
}
