// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {L1Setup} from "../utils/L1Setup.sol";
import {OpenToken} from "../../src/l1/OpenToken.sol";
import {OpenAllocation} from "../../src/l1/OpenAllocation.sol";
import {OpenVestingWallet} from "../../src/l1/OpenVestingWallet.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice Deploys a token with an arbitrary table (external, so the library's reverts are catchable).
contract TokenFactory {
    function make(OpenAllocation.Shares memory s, OpenAllocation.Recipients memory r) external returns (OpenToken) {
        return new OpenToken(s, r);
    }
}

contract OpenTokenTest is L1Setup {
    TokenFactory internal factory;
    uint256 internal constant HOLDER_KEY = 0xA11CE;
    address internal holder;

    function setUp() public {
        _deployL1();
        factory = new TokenFactory();
        holder = vm.addr(HOLDER_KEY);
    }

    function _recipients() internal view returns (OpenAllocation.Recipients memory) {
        return OpenAllocation.Recipients(
            address(timelock), address(investorVesting), address(teamVesting), ecosystem, liquidity
        );
    }

    // ------------------------------------------------------------ allocation

    function test_Metadata() public view {
        assertEq(token.name(), "OpenLedger");
        assertEq(token.symbol(), "OPEN");
        assertEq(uint256(token.decimals()), 18);
    }

    function test_DefaultAllocationIsExact() public view {
        assertEq(token.totalSupply(), 1_000_000_000e18, "supply");
        assertEq(token.TOTAL_SUPPLY(), 1_000_000_000e18, "constant");
        assertEq(token.balanceOf(address(timelock)), 517_100_000e18, "community 51.71%");
        assertEq(token.balanceOf(address(investorVesting)), 182_900_000e18, "investors 18.29%");
        assertEq(token.balanceOf(address(teamVesting)), 150_000_000e18, "team 15%");
        assertEq(token.balanceOf(ecosystem), 100_000_000e18, "ecosystem 10%");
        assertEq(token.balanceOf(liquidity), 50_000_000e18, "liquidity 5%");
    }

    function test_AllocatedEventOnDeploy() public {
        vm.expectEmit();
        emit OpenToken.Allocated(
            address(timelock),
            517_100_000e18,
            address(investorVesting),
            182_900_000e18,
            address(teamVesting),
            150_000_000e18,
            ecosystem,
            100_000_000e18,
            liquidity,
            50_000_000e18
        );
        factory.make(OpenAllocation.defaults(), _recipients());
    }

    function test_RevertWhen_TableDoesNotSumToFull() public {
        OpenAllocation.Shares memory s = OpenAllocation.defaults();
        s.liquidity = 499;
        vm.expectRevert(abi.encodeWithSelector(OpenAllocation.AllocationNotFull.selector, 9_999));
        factory.make(s, _recipients());
        s.liquidity = 501;
        vm.expectRevert(abi.encodeWithSelector(OpenAllocation.AllocationNotFull.selector, 10_001));
        factory.make(s, _recipients());
    }

    function test_RevertWhen_RecipientIsZero() public {
        OpenAllocation.Recipients memory r = _recipients();
        r.team = address(0);
        vm.expectRevert(OpenAllocation.ZeroRecipient.selector);
        factory.make(OpenAllocation.defaults(), r);
    }

    function testFuzz_AnyFullTableMintsExactSupply(uint16 a, uint16 b, uint16 c, uint16 d) public {
        uint256 left = 10_000;
        a = uint16(bound(a, 0, left));
        left -= a;
        b = uint16(bound(b, 0, left));
        left -= b;
        c = uint16(bound(c, 0, left));
        left -= c;
        d = uint16(bound(d, 0, left));
        left -= d;
        OpenAllocation.Shares memory s = OpenAllocation.Shares(uint16(left), a, b, c, d);
        OpenToken t = factory.make(s, _recipients());
        assertEq(t.totalSupply(), 1_000_000_000e18, "supply exact");
        assertEq(t.balanceOf(address(investorVesting)), uint256(a) * 1e23, "investor share");
    }

    function testFuzz_RevertWhen_TableNotFull(uint16 community) public {
        vm.assume(community != 5171);
        OpenAllocation.Shares memory s = OpenAllocation.defaults();
        s.community = community;
        vm.expectRevert(
            abi.encodeWithSelector(
                OpenAllocation.AllocationNotFull.selector, uint256(community) + 1829 + 1500 + 1000 + 500
            )
        );
        factory.make(s, _recipients());
    }

    function test_NoMintFunction() public {
        (bool ok,) = address(token).call(abi.encodeWithSignature("mint(address,uint256)", holder, 1));
        assertFalse(ok, "mint must not exist");
        assertEq(token.totalSupply(), 1_000_000_000e18);
    }

    // ------------------------------------------------------------ votes

    function test_ClockIsTimestamp() public {
        assertEq(uint256(token.clock()), block.timestamp);
        vm.warp(block.timestamp + 123);
        assertEq(uint256(token.clock()), block.timestamp);
        assertEq(token.CLOCK_MODE(), "mode=timestamp");
    }

    function test_DelegateCheckpointsByTimestamp() public {
        vm.prank(ecosystem);
        token.delegate(ecosystem);
        uint256 t0 = block.timestamp;
        assertEq(token.getVotes(ecosystem), 100_000_000e18, "votes after delegate");
        vm.warp(t0 + 10);
        vm.prank(ecosystem);
        require(token.transfer(holder, 1_000e18));
        vm.warp(t0 + 20);
        assertEq(token.getPastVotes(ecosystem, t0 + 5), 100_000_000e18, "past votes");
        assertEq(token.getPastVotes(ecosystem, t0 + 15), 99_999_000e18, "after transfer");
        assertEq(token.getVotes(holder), 0, "undelegated holder has no votes");
    }

    function testFuzz_TransferConservesSupply(address to, uint256 amount) public {
        vm.assume(to != address(0));
        amount = bound(amount, 0, 50_000_000e18);
        vm.prank(liquidity);
        require(token.transfer(to, amount));
        assertEq(token.totalSupply(), 1_000_000_000e18);
        if (to != liquidity) assertEq(token.balanceOf(liquidity), 50_000_000e18 - amount, "sender balance");
    }

    // ------------------------------------------------------------ permit

    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    function _permitDigest(address owner, address spender, uint256 value, uint256 nonce, uint256 deadline)
        internal
        view
        returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", token.DOMAIN_SEPARATOR(), structHash));
    }

    function test_PermitSetsAllowance() public {
        uint256 deadline = block.timestamp + 1 hours;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(HOLDER_KEY, _permitDigest(holder, ecosystem, 5e18, 0, deadline));
        token.permit(holder, ecosystem, 5e18, deadline, v, r, s);
        assertEq(token.allowance(holder, ecosystem), 5e18, "allowance");
        assertEq(token.nonces(holder), 1, "nonce");
    }

    function test_RevertWhen_PermitExpired() public {
        uint256 deadline = block.timestamp - 1;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(HOLDER_KEY, _permitDigest(holder, ecosystem, 5e18, 0, deadline));
        vm.expectRevert(abi.encodeWithSignature("ERC2612ExpiredSignature(uint256)", deadline));
        token.permit(holder, ecosystem, 5e18, deadline, v, r, s);
    }

    function test_RevertWhen_PermitWrongSigner() public {
        uint256 deadline = block.timestamp + 1;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(0xB0B, _permitDigest(holder, ecosystem, 5e18, 0, deadline));
        vm.expectRevert(abi.encodeWithSignature("ERC2612InvalidSigner(address,address)", vm.addr(0xB0B), holder));
        token.permit(holder, ecosystem, 5e18, deadline, v, r, s);
    }

    // ------------------------------------------------------------ vesting tranches

    function test_VestingNothingBeforeCliff() public {
        vm.warp(block.timestamp + CLIFF - 1);
        assertEq(teamVesting.releasable(address(token)), 0, "nothing before cliff");
        teamVesting.release(address(token));
        assertEq(token.balanceOf(team), 0, "no release before cliff");
    }

    function test_VestingLinearAfterCliffAndFullAtEnd() public {
        uint256 start = teamVesting.start();
        vm.warp(start + VESTING / 2);
        assertEq(teamVesting.releasable(address(token)), 75_000_000e18, "half vested");
        teamVesting.release(address(token));
        assertEq(token.balanceOf(team), 75_000_000e18, "half released");
        vm.warp(start + VESTING);
        teamVesting.release(address(token));
        assertEq(token.balanceOf(team), 150_000_000e18, "all released");
        assertEq(teamVesting.cliff(), start + CLIFF, "cliff");
    }

    function test_VestingWalletDelegatesVotes() public {
        vm.expectEmit(address(investorVesting));
        emit OpenVestingWallet.VotesDelegated(address(token), investors);
        vm.prank(investors);
        investorVesting.delegate(IVotes(address(token)), investors);
        assertEq(token.getVotes(investors), 182_900_000e18, "investor votes");
    }

    function test_RevertWhen_VestingDelegateNotBeneficiary() public {
        vm.expectRevert(abi.encodeWithSelector(Ownable.OwnableUnauthorizedAccount.selector, holder));
        vm.prank(holder);
        investorVesting.delegate(IVotes(address(token)), holder);
    }
}
