// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {VestingWallet} from "@openzeppelin/contracts/finance/VestingWallet.sol";
import {VestingWalletCliff} from "@openzeppelin/contracts/finance/VestingWalletCliff.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @title OpenVestingWallet
/// @notice A team or investor tranche: OpenZeppelin's VestingWalletCliff (nothing before the cliff, then linear
/// vesting from `start` to `start + duration`), owned by the beneficiary. The beneficiary may delegate the voting power
/// of the tokens still locked here, so that vesting tranches can take part in governance (and quorum is reachable).
contract OpenVestingWallet is VestingWalletCliff {
    /// @notice The wallet's votes on `token` were delegated to `delegatee`.
    event VotesDelegated(address indexed token, address indexed delegatee);

    /// @param beneficiary receives released tokens (and owns the wallet)
    /// @param start vesting start (unix seconds)
    /// @param duration vesting duration in seconds
    /// @param cliffSeconds seconds after `start` before anything vests (<= duration)
    constructor(address beneficiary, uint64 start, uint64 duration, uint64 cliffSeconds)
        VestingWallet(beneficiary, start, duration)
        VestingWalletCliff(cliffSeconds)
    {}

    /// @notice Delegates the voting power of the `token` balance held here to `delegatee` (beneficiary only).
    function delegate(IVotes token, address delegatee) external onlyOwner {
        emit VotesDelegated(address(token), delegatee);
        token.delegate(delegatee);
    }
}
