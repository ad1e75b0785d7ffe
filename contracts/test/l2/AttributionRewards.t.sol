// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {Merkle} from "../utils/Merkle.sol";
import {AttributionRewards} from "../../src/l2/AttributionRewards.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";

/// @notice Tries to claim again while being paid.
contract ReentrantClaimer {
    AttributionRewards internal rewards;
    uint256 internal epoch;
    uint256 internal amount;
    bytes32[] internal proof;
    bool public reentryBlocked;

    function arm(AttributionRewards r, uint256 e, uint256 a, bytes32[] memory p) external {
        rewards = r;
        epoch = e;
        amount = a;
        proof = p;
    }

    receive() external payable {
        try rewards.claim(epoch, payable(address(this)), amount, proof) {}
            catch {
            reentryBlocked = true;
        }
    }
}

contract AttributionRewardsTest is Test {
    AttributionRewards internal rewards;
    address internal gov = makeAddr("gov");
    address internal poster = makeAddr("poster");
    address internal treasury = makeAddr("treasury");
    address internal payer = makeAddr("payer");
    uint64 internal constant WINDOW = 1 days;

    address[] internal accounts;
    uint256[] internal amounts;
    bytes32[] internal leaves;

    function setUp() public {
        vm.warp(1_700_000_000);
        rewards =
            new AttributionRewards(gov, poster, treasury, WINDOW, AttributionRewards.Split(6000, 2000, 1000, 1000));
        vm.deal(payer, 1_000 ether);
        accounts.push(makeAddr("c1"));
        accounts.push(makeAddr("c2"));
        accounts.push(makeAddr("m1"));
        accounts.push(makeAddr("s1"));
        accounts.push(makeAddr("c3"));
        amounts.push(30 ether);
        amounts.push(20 ether);
        amounts.push(25 ether);
        amounts.push(10 ether);
        amounts.push(5 ether);
        for (uint256 i = 0; i < accounts.length; ++i) {
            leaves.push(Merkle.leaf(accounts[i], amounts[i]));
        }
    }

    function _deposit(uint256 epoch, uint256 amount) internal {
        vm.prank(payer);
        rewards.depositFees{value: amount}(epoch);
    }

    /// @dev 100 ether of fees, 10% protocol: 90 distributable; the tree's total is 90.
    function _postDefault() internal returns (bytes32 root) {
        _deposit(1, 100 ether);
        root = Merkle.root(leaves);
        vm.prank(poster);
        rewards.postRoot(1, root, 90 ether);
    }

    function _claim(uint256 i) internal {
        rewards.claim(1, payable(accounts[i]), amounts[i], Merkle.proof(leaves, i));
    }

    // ------------------------------------------------------------ constructor and parameters

    function test_Constructor() public view {
        (uint16 c, uint16 m, uint16 s, uint16 p) = rewards.split();
        assertEq(uint256(c) + m + s + p, 10_000);
        assertEq(uint256(p), 1000);
        assertTrue(rewards.hasRole(rewards.DEFAULT_ADMIN_ROLE(), gov));
        assertTrue(rewards.hasRole(rewards.POSTER_ROLE(), poster));
        assertEq(rewards.treasury(), treasury);
        assertEq(uint256(rewards.challengeWindow()), WINDOW);
    }

    function test_RevertWhen_ConstructorBadArgs() public {
        AttributionRewards.Split memory ok = AttributionRewards.Split(10_000, 0, 0, 0);
        vm.expectRevert(AttributionRewards.ZeroAddress.selector);
        new AttributionRewards(address(0), poster, treasury, WINDOW, ok);
        vm.expectRevert(AttributionRewards.ZeroAddress.selector);
        new AttributionRewards(gov, poster, address(0), WINDOW, ok);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.WindowTooLong.selector, 31 days));
        new AttributionRewards(gov, poster, treasury, 31 days, ok);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.SplitNotFull.selector, 9_999));
        new AttributionRewards(gov, poster, treasury, WINDOW, AttributionRewards.Split(9_999, 0, 0, 0));
        AttributionRewards noPoster = new AttributionRewards(gov, address(0), treasury, WINDOW, ok);
        assertFalse(noPoster.hasRole(noPoster.POSTER_ROLE(), address(0)));
    }

    function test_SetSplit() public {
        vm.expectEmit();
        emit AttributionRewards.SplitSet(5000, 2500, 1500, 1000);
        vm.prank(gov);
        rewards.setSplit(AttributionRewards.Split(5000, 2500, 1500, 1000));
        (uint16 c,,,) = rewards.split();
        assertEq(uint256(c), 5000);
    }

    function testFuzz_RevertWhen_SplitNotFull(uint16 a, uint16 b, uint16 c, uint16 d) public {
        uint256 sum = uint256(a) + b + c + d;
        vm.assume(sum != 10_000);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.SplitNotFull.selector, sum));
        vm.prank(gov);
        rewards.setSplit(AttributionRewards.Split(a, b, c, d));
    }

    function test_SetWindowAndTreasury() public {
        vm.startPrank(gov);
        vm.expectEmit();
        emit AttributionRewards.ChallengeWindowSet(2 hours);
        rewards.setChallengeWindow(2 hours);
        vm.expectEmit();
        emit AttributionRewards.TreasurySet(payer);
        rewards.setTreasury(payer);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.WindowTooLong.selector, 31 days));
        rewards.setChallengeWindow(31 days);
        vm.expectRevert(AttributionRewards.ZeroAddress.selector);
        rewards.setTreasury(address(0));
        vm.stopPrank();
        assertEq(uint256(rewards.challengeWindow()), 2 hours);
        assertEq(rewards.treasury(), payer);
    }

    function test_RevertWhen_ParametersByNonAdmin() public {
        bytes32 admin = rewards.DEFAULT_ADMIN_ROLE();
        bytes memory err =
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, poster, admin);
        vm.startPrank(poster);
        vm.expectRevert(err);
        rewards.setSplit(AttributionRewards.Split(10_000, 0, 0, 0));
        vm.expectRevert(err);
        rewards.setChallengeWindow(1);
        vm.expectRevert(err);
        rewards.setTreasury(poster);
        vm.expectRevert(err);
        rewards.replaceRoot(1, bytes32("r"), 1);
        vm.stopPrank();
    }

    // ------------------------------------------------------------ deposits and roots

    function test_DepositFees() public {
        vm.expectEmit();
        emit AttributionRewards.FeesDeposited(3, payer, 1 ether, 1 ether);
        _deposit(3, 1 ether);
        _deposit(3, 2 ether);
        assertEq(uint256(rewards.getEpoch(3).fees), 3 ether);
        assertEq(address(rewards).balance, 3 ether);
    }

    function test_RevertWhen_DepositZeroOrAfterPost() public {
        vm.expectRevert(AttributionRewards.ZeroValue.selector);
        rewards.depositFees(1);
        _postDefault();
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.EpochPosted.selector, 1));
        _deposit(1, 1 ether);
    }

    function test_PostRoot() public {
        _deposit(1, 100 ether);
        bytes32 root = Merkle.root(leaves);
        vm.expectEmit();
        emit AttributionRewards.RootPosted(1, root, 90 ether, 90 ether, poster);
        vm.prank(poster);
        rewards.postRoot(1, root, 90 ether);
        AttributionRewards.Epoch memory e = rewards.getEpoch(1);
        assertEq(e.root, root);
        assertEq(uint256(e.total), 90 ether);
        assertEq(uint256(e.distributable), 90 ether);
        assertEq(uint256(e.claimableAt), block.timestamp + WINDOW);
    }

    function test_RevertWhen_PostInvalid() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, payer, rewards.POSTER_ROLE()
            )
        );
        vm.prank(payer);
        rewards.postRoot(1, bytes32("r"), 1);
        vm.startPrank(poster);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.NoFees.selector, 1));
        rewards.postRoot(1, bytes32("r"), 1);
        vm.stopPrank();
        _deposit(1, 100 ether);
        vm.startPrank(poster);
        vm.expectRevert(AttributionRewards.ZeroValue.selector);
        rewards.postRoot(1, bytes32(0), 1);
        vm.expectRevert(
            abi.encodeWithSelector(AttributionRewards.TotalExceedsDistributable.selector, 90 ether + 1, 90 ether)
        );
        rewards.postRoot(1, bytes32("r"), 90 ether + 1);
        rewards.postRoot(1, bytes32("r"), 1);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.EpochPosted.selector, 1));
        rewards.postRoot(1, bytes32("r"), 1);
        vm.stopPrank();
    }

    function test_ReplaceRootWithinWindow() public {
        bytes32 oldRoot = _postDefault();
        amounts[0] = 25 ether; // governance corrects one leaf
        leaves[0] = Merkle.leaf(accounts[0], amounts[0]);
        bytes32 newRoot = Merkle.root(leaves);
        vm.warp(block.timestamp + WINDOW - 1);
        vm.expectEmit();
        emit AttributionRewards.RootReplaced(1, oldRoot, newRoot, 85 ether);
        vm.prank(gov);
        rewards.replaceRoot(1, newRoot, 85 ether);
        assertEq(uint256(rewards.getEpoch(1).claimableAt), block.timestamp + WINDOW, "window restarts");
        vm.warp(block.timestamp + WINDOW);
        _claim(0);
        assertEq(accounts[0].balance, 25 ether, "claims against the new root");
    }

    function test_RevertWhen_ReplaceInvalid() public {
        vm.startPrank(gov);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.EpochNotPosted.selector, 1));
        rewards.replaceRoot(1, bytes32("r"), 1);
        vm.stopPrank();
        _postDefault();
        vm.startPrank(gov);
        vm.expectRevert(AttributionRewards.ZeroValue.selector);
        rewards.replaceRoot(1, bytes32(0), 1);
        vm.expectRevert(
            abi.encodeWithSelector(AttributionRewards.TotalExceedsDistributable.selector, 91 ether, 90 ether)
        );
        rewards.replaceRoot(1, bytes32("r"), 91 ether);
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.ChallengeWindowOver.selector, 1));
        rewards.replaceRoot(1, bytes32("r"), 1);
        vm.stopPrank();
    }

    // ------------------------------------------------------------ claims

    function test_ClaimAllAfterWindow() public {
        _postDefault();
        vm.warp(block.timestamp + WINDOW);
        for (uint256 i = 0; i < accounts.length; ++i) {
            vm.expectEmit();
            emit AttributionRewards.Claimed(1, accounts[i], amounts[i]);
            _claim(i);
            assertEq(accounts[i].balance, amounts[i], "paid");
            assertTrue(rewards.isClaimed(1, accounts[i]), "marked");
        }
        assertEq(uint256(rewards.getEpoch(1).claimed), 90 ether, "claimed = total");
        assertEq(address(rewards).balance, 10 ether, "protocol share left");
    }

    function test_RevertWhen_ClaimTooEarlyOrUnposted() public {
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.EpochNotPosted.selector, 1));
        _claim(0);
        _postDefault();
        vm.expectRevert(
            abi.encodeWithSelector(AttributionRewards.ChallengeWindowOpen.selector, 1, block.timestamp + WINDOW)
        );
        _claim(0);
    }

    function test_RevertWhen_DoubleClaim() public {
        _postDefault();
        vm.warp(block.timestamp + WINDOW);
        _claim(2);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.AlreadyClaimed.selector, 1, accounts[2]));
        _claim(2);
    }

    function test_RevertWhen_ProofInvalid() public {
        _postDefault();
        vm.warp(block.timestamp + WINDOW);
        bytes32[] memory proof = Merkle.proof(leaves, 1);
        vm.expectRevert(AttributionRewards.InvalidProof.selector);
        rewards.claim(1, payable(accounts[1]), amounts[1] + 1, proof); // inflated amount
        vm.expectRevert(AttributionRewards.InvalidProof.selector);
        rewards.claim(1, payable(accounts[0]), amounts[1], proof); // someone else's leaf
    }

    function test_RevertWhen_ClaimsWouldExceedTotal() public {
        // A root whose leaves sum past its declared total: the contract still never pays more than the total.
        _deposit(1, 100 ether);
        vm.prank(poster);
        rewards.postRoot(1, Merkle.root(leaves), 40 ether);
        vm.warp(block.timestamp + WINDOW);
        _claim(0); // 30
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.ClaimsExceedTotal.selector, 1));
        _claim(1); // +20 > 40
    }

    function test_RevertWhen_RecipientRejectsPayment() public {
        bytes32[] memory l = new bytes32[](2);
        l[0] = Merkle.leaf(address(this), 1 ether); // this test contract has no receive()
        l[1] = Merkle.leaf(accounts[0], 1 ether);
        _deposit(1, 10 ether);
        vm.prank(poster);
        rewards.postRoot(1, Merkle.root(l), 2 ether);
        vm.warp(block.timestamp + WINDOW);
        bytes32[] memory proof = Merkle.proof(l, 0);
        vm.expectRevert(AttributionRewards.TransferFailed.selector);
        rewards.claim(1, payable(address(this)), 1 ether, proof);
    }

    function test_ClaimIsReentrancyGuarded() public {
        ReentrantClaimer evil = new ReentrantClaimer();
        bytes32[] memory l = new bytes32[](2);
        l[0] = Merkle.leaf(address(evil), 1 ether);
        l[1] = Merkle.leaf(accounts[0], 1 ether);
        _deposit(1, 10 ether);
        vm.prank(poster);
        rewards.postRoot(1, Merkle.root(l), 2 ether);
        vm.warp(block.timestamp + WINDOW);
        bytes32[] memory proof = Merkle.proof(l, 0);
        evil.arm(rewards, 1, 1 ether, proof);
        rewards.claim(1, payable(address(evil)), 1 ether, proof);
        assertTrue(evil.reentryBlocked(), "blocked");
        assertEq(address(evil).balance, 1 ether, "paid once");
    }

    // ------------------------------------------------------------ protocol share

    function test_ReleaseProtocolShare() public {
        _deposit(1, 100 ether);
        vm.prank(poster);
        rewards.postRoot(1, Merkle.root(leaves), 85 ether); // 5 ether unallocated + 10 protocol
        vm.warp(block.timestamp + WINDOW);
        vm.expectEmit();
        emit AttributionRewards.ProtocolShareReleased(1, treasury, 15 ether);
        rewards.releaseProtocolShare(1);
        assertEq(treasury.balance, 15 ether);
        vm.expectRevert(abi.encodeWithSelector(AttributionRewards.AlreadyReleased.selector, 1));
        rewards.releaseProtocolShare(1);
    }

    function test_ReleaseZeroProtocolShare() public {
        vm.prank(gov);
        rewards.setSplit(AttributionRewards.Split(10_000, 0, 0, 0));
        _deposit(1, 10 ether);
        vm.prank(poster);
        rewards.postRoot(1, bytes32("r"), 10 ether);
        vm.warp(block.timestamp + WINDOW);
        rewards.releaseProtocolShare(1);
        assertEq(treasury.balance, 0);
        assertTrue(rewards.getEpoch(1).protocolReleased);
    }

    function test_RevertWhen_ReleaseEarlyOrTreasuryRejects() public {
        _postDefault();
        vm.expectRevert(
            abi.encodeWithSelector(AttributionRewards.ChallengeWindowOpen.selector, 1, block.timestamp + WINDOW)
        );
        rewards.releaseProtocolShare(1);
        vm.prank(gov);
        rewards.setTreasury(address(this));
        vm.warp(block.timestamp + WINDOW);
        vm.expectRevert(AttributionRewards.TransferFailed.selector);
        rewards.releaseProtocolShare(1);
    }

    // ------------------------------------------------------------ fuzz

    function testFuzz_PostedTotalNeverExceedsDistributable(uint96 fees, uint16 protocolBps, uint128 total) public {
        fees = uint96(bound(fees, 1, 1e30));
        protocolBps = uint16(bound(protocolBps, 0, 10_000));
        vm.prank(gov);
        rewards.setSplit(AttributionRewards.Split(10_000 - protocolBps, 0, 0, protocolBps));
        vm.deal(payer, fees);
        _deposit(7, fees);
        uint256 distributable = uint256(fees) * (10_000 - protocolBps) / 10_000;
        vm.prank(poster);
        if (total > distributable) {
            vm.expectRevert(
                abi.encodeWithSelector(AttributionRewards.TotalExceedsDistributable.selector, total, distributable)
            );
            rewards.postRoot(7, bytes32("r"), total);
        } else {
            rewards.postRoot(7, bytes32("r"), total);
            assertLe(uint256(rewards.getEpoch(7).total), uint256(rewards.getEpoch(7).fees), "total <= fees");
        }
    }

    function testFuzz_ClaimArbitraryLeaf(address account, uint256 amount, uint8 index) public {
        vm.assume(account.code.length == 0 && uint160(account) > 0x10000);
        amount = bound(amount, 1, 50 ether);
        uint256 i = bound(index, 0, leaves.length - 1);
        accounts[i] = account;
        amounts[i] = amount;
        leaves[i] = Merkle.leaf(account, amount);
        _deposit(1, 200 ether);
        vm.prank(poster);
        rewards.postRoot(1, Merkle.root(leaves), 180 ether);
        vm.warp(block.timestamp + WINDOW);
        uint256 before = account.balance;
        _claim(i);
        assertEq(account.balance - before, amount, "paid the leaf amount");
    }
}
