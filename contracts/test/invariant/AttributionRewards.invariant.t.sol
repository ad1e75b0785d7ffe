// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {Merkle} from "../utils/Merkle.sol";
import {AttributionRewards} from "../../src/l2/AttributionRewards.sol";

/// @notice Deposits, posts (sometimes with a total below its leaves' sum), replacements, claims and releases over four
/// epochs and four accounts.
contract RewardsHandler is Test {
    AttributionRewards internal rewards;
    address internal gov;
    address internal poster;
    address[4] internal accounts;
    mapping(uint256 => uint256[4]) internal leafAmounts;
    uint256 public ghostFees;
    uint256 public ghostPaidOut;

    constructor(AttributionRewards r, address gov_, address poster_, address[4] memory accounts_) {
        rewards = r;
        gov = gov_;
        poster = poster_;
        accounts = accounts_;
    }

    function _leaves(uint256 epoch) internal view returns (bytes32[] memory l) {
        l = new bytes32[](4);
        for (uint256 i = 0; i < 4; ++i) {
            l[i] = Merkle.leaf(accounts[i], leafAmounts[epoch][i]);
        }
    }

    function deposit(uint8 epoch, uint256 amount) external {
        uint256 e = epoch % 4;
        if (rewards.getEpoch(e).postedAt != 0) return;
        amount = bound(amount, 1, 1_000 ether);
        vm.deal(address(this), amount);
        rewards.depositFees{value: amount}(e);
        ghostFees += amount;
    }

    function post(uint8 epoch, uint256 seed, uint256 totalCut, bool replace) external {
        uint256 e = epoch % 4;
        AttributionRewards.Epoch memory ep = rewards.getEpoch(e);
        if (ep.fees == 0) return;
        if (replace && (ep.postedAt == 0 || block.timestamp >= ep.claimableAt)) return;
        if (!replace && ep.postedAt != 0) return;
        uint256 sum;
        for (uint256 i = 0; i < 4; ++i) {
            uint256 a = uint256(keccak256(abi.encode(seed, i))) % (uint256(ep.fees) / 3 + 1);
            leafAmounts[e][i] = a;
            sum += a;
        }
        uint256 total = sum - bound(totalCut, 0, sum); // the declared total may be below the leaves' sum
        vm.prank(replace ? gov : poster);
        // A total above the distributable fees must revert; the handler accepts either outcome.
        if (replace) {
            try rewards.replaceRoot(e, Merkle.root(_leaves(e)), uint128(total)) {} catch {}
        } else {
            try rewards.postRoot(e, Merkle.root(_leaves(e)), uint128(total)) {} catch {}
        }
    }

    function claim(uint8 epoch, uint8 who) external {
        uint256 e = epoch % 4;
        uint256 i = who % 4;
        AttributionRewards.Epoch memory ep = rewards.getEpoch(e);
        if (ep.postedAt == 0) return;
        if (block.timestamp < ep.claimableAt) vm.warp(ep.claimableAt);
        uint256 before = accounts[i].balance;
        try rewards.claim(e, payable(accounts[i]), leafAmounts[e][i], Merkle.proof(_leaves(e), i)) {
            ghostPaidOut += accounts[i].balance - before;
        } catch {}
    }

    function release(uint8 epoch) external {
        uint256 e = epoch % 4;
        address t = rewards.treasury();
        uint256 before = t.balance;
        try rewards.releaseProtocolShare(e) {
            ghostPaidOut += t.balance - before;
        } catch {}
    }

    function warp(uint256 secs) external {
        vm.warp(block.timestamp + bound(secs, 0, 2 days));
    }
}

contract AttributionRewardsInvariantTest is Test {
    AttributionRewards internal rewards;
    RewardsHandler internal handler;

    function setUp() public {
        vm.warp(1_700_000_000);
        address gov = makeAddr("gov");
        address poster = makeAddr("poster");
        rewards = new AttributionRewards(
            gov, poster, makeAddr("treasury"), 1 days, AttributionRewards.Split(5000, 2500, 1500, 1000)
        );
        address[4] memory accounts = [makeAddr("r0"), makeAddr("r1"), makeAddr("r2"), makeAddr("r3")];
        handler = new RewardsHandler(rewards, gov, poster, accounts);
        targetContract(address(handler));
    }

    /// @notice claimed <= posted total <= distributable <= fees, for every epoch.
    function invariant_ClaimsAndTotalsBounded() public view {
        for (uint256 e = 0; e < 4; ++e) {
            AttributionRewards.Epoch memory ep = rewards.getEpoch(e);
            assertLe(ep.claimed, ep.total, "claimed <= total");
            assertLe(ep.total, ep.distributable, "total <= distributable");
            assertLe(ep.distributable, ep.fees, "distributable <= fees");
        }
    }

    /// @notice The contract holds exactly the fees not yet paid out.
    function invariant_BalanceMatchesAccounting() public view {
        assertEq(address(rewards).balance, handler.ghostFees() - handler.ghostPaidOut(), "balance");
    }
}
