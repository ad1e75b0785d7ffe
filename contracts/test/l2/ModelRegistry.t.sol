// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "../utils/Test.sol";
import {DatanetRegistry} from "../../src/l2/DatanetRegistry.sol";
import {ModelRegistry, IDatanetVersions} from "../../src/l2/ModelRegistry.sol";

contract ModelRegistryTest is Test {
    DatanetRegistry internal datanets;
    ModelRegistry internal models;
    address internal gov = makeAddr("gov");
    address internal dataOwner = makeAddr("dataOwner");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    uint256 internal datanetId;
    bytes32 internal constant ROOT = keccak256("datanet-root-v1");

    function setUp() public {
        datanets = new DatanetRegistry(gov);
        models = new ModelRegistry(gov, IDatanetVersions(address(datanets)));
        vm.startPrank(dataOwner);
        datanetId = datanets.createDatanet("d", "", "", DatanetRegistry.Kind.Text, 0, 1000);
        uint256 c = datanets.contribute(datanetId, keccak256("c"), 10, "");
        datanets.review(c, true);
        datanets.publishVersion(datanetId, ROOT, 1);
        vm.stopPrank();
    }

    function _refs() internal view returns (ModelRegistry.DatanetRef[] memory refs) {
        refs = new ModelRegistry.DatanetRef[](1);
        refs[0] = ModelRegistry.DatanetRef({datanetId: datanetId, version: 1, root: ROOT});
    }

    function _register() internal returns (uint256) {
        vm.prank(alice);
        return models.registerModel(
            ModelRegistry.Kind.LoRA, "llama-3-8b", "ipfs://card", keccak256("adapter"), keccak256("cfg"), _refs(), 1e15
        );
    }

    function test_RegisterModel() public {
        vm.expectEmit();
        emit ModelRegistry.ModelRegistered(1, alice, ModelRegistry.Kind.LoRA, "llama-3-8b", "ipfs://card", 1e15);
        uint256 id = _register();
        assertEq(id, 1);
        ModelRegistry.Model memory m = models.getModel(id);
        assertEq(m.owner, alice);
        assertTrue(m.active);
        assertEq(uint256(m.versions), 1);
        assertEq(uint256(m.pricePer1kTokens), 1e15);
        assertEq(m.baseModel, "llama-3-8b");
        ModelRegistry.ModelVersion memory v = models.getVersion(id, 1);
        assertEq(v.adapterHash, keccak256("adapter"));
        assertEq(v.trainingConfigHash, keccak256("cfg"));
        assertEq(v.trainedOn.length, 1);
        assertEq(v.trainedOn[0].root, ROOT);
        assertEq(address(models.datanets()), address(datanets));
    }

    function test_RevertWhen_RegisterBadArgs() public {
        ModelRegistry.DatanetRef[] memory none = new ModelRegistry.DatanetRef[](0);
        vm.expectRevert(ModelRegistry.ZeroValue.selector);
        models.registerModel(ModelRegistry.Kind.LoRA, "", "", keccak256("a"), bytes32(0), none, 0);
        vm.expectRevert(ModelRegistry.ZeroValue.selector);
        models.registerModel(ModelRegistry.Kind.LoRA, "b", "", bytes32(0), bytes32(0), none, 0);
        vm.expectRevert(ModelRegistry.TextTooLong.selector);
        models.registerModel(ModelRegistry.Kind.LoRA, string(new bytes(257)), "", keccak256("a"), bytes32(0), none, 0);
        ModelRegistry.DatanetRef[] memory many = new ModelRegistry.DatanetRef[](17);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.TooManyRefs.selector, 17));
        models.registerModel(ModelRegistry.Kind.LoRA, "b", "", keccak256("a"), bytes32(0), many, 0);
    }

    function test_RevertWhen_UnknownDatanetVersion() public {
        ModelRegistry.DatanetRef[] memory refs = _refs();
        refs[0].root = keccak256("wrong");
        vm.expectRevert(
            abi.encodeWithSelector(ModelRegistry.UnknownDatanetVersion.selector, datanetId, 1, refs[0].root)
        );
        models.registerModel(ModelRegistry.Kind.FullModel, "b", "", keccak256("a"), bytes32(0), refs, 0);
        refs[0].root = bytes32(0);
        refs[0].version = 2; // unpublished: its root reads as zero, still rejected
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownDatanetVersion.selector, datanetId, 2, bytes32(0)));
        models.registerModel(ModelRegistry.Kind.FullModel, "b", "", keccak256("a"), bytes32(0), refs, 0);
    }

    function test_RevertWhen_ConstructorZeroRegistry() public {
        vm.expectRevert(ModelRegistry.ZeroAddress.selector);
        new ModelRegistry(gov, IDatanetVersions(address(0)));
    }

    function test_AddVersion() public {
        uint256 id = _register();
        vm.expectEmit();
        emit ModelRegistry.ModelVersionAdded(id, 2, keccak256("adapter2"), keccak256("cfg2"), _refs());
        vm.prank(alice);
        uint64 v = models.addVersion(id, keccak256("adapter2"), keccak256("cfg2"), _refs());
        assertEq(uint256(v), 2);
        assertEq(models.getVersion(id, 2).adapterHash, keccak256("adapter2"));
        assertEq(uint256(models.getModel(id).versions), 2);
    }

    function test_RevertWhen_AddVersionInvalid() public {
        uint256 id = _register();
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, id, bob));
        vm.prank(bob);
        models.addVersion(id, keccak256("x"), bytes32(0), _refs());
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 5));
        models.addVersion(5, keccak256("x"), bytes32(0), _refs());
        vm.prank(alice);
        models.deactivate(id);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelInactive.selector, id));
        vm.prank(alice);
        models.addVersion(id, keccak256("x"), bytes32(0), _refs());
    }

    function test_SetPriceAndTransfer() public {
        uint256 id = _register();
        vm.expectEmit();
        emit ModelRegistry.ModelPriceSet(id, 7);
        vm.prank(alice);
        models.setPrice(id, 7);
        assertEq(uint256(models.getModel(id).pricePer1kTokens), 7);
        vm.expectEmit();
        emit ModelRegistry.ModelOwnershipTransferred(id, alice, bob);
        vm.prank(alice);
        models.transferModelOwnership(id, bob);
        assertEq(models.getModel(id).owner, bob);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, id, alice));
        vm.prank(alice);
        models.setPrice(id, 1);
        vm.expectRevert(ModelRegistry.ZeroAddress.selector);
        vm.prank(bob);
        models.transferModelOwnership(id, address(0));
    }

    function test_DeactivateByOwnerOrGovernance() public {
        uint256 id = _register();
        uint256 id2 = _register();
        vm.expectEmit();
        emit ModelRegistry.ModelDeactivated(id, alice);
        vm.prank(alice);
        models.deactivate(id);
        vm.prank(gov);
        models.deactivate(id2);
        assertFalse(models.getModel(id).active);
        assertFalse(models.getModel(id2).active);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.ModelInactive.selector, id));
        vm.prank(alice);
        models.deactivate(id);
    }

    function test_RevertWhen_DeactivateByStranger() public {
        uint256 id = _register();
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.NotModelOwner.selector, id, bob));
        vm.prank(bob);
        models.deactivate(id);
        vm.expectRevert(abi.encodeWithSelector(ModelRegistry.UnknownModel.selector, 9));
        models.getModel(9);
    }

    function testFuzz_RegisterAnyOwnerAndPrice(address who, uint128 price, bytes32 adapter) public {
        vm.assume(who != address(0) && adapter != bytes32(0));
        ModelRegistry.DatanetRef[] memory none = new ModelRegistry.DatanetRef[](0);
        vm.prank(who);
        uint256 id = models.registerModel(ModelRegistry.Kind.FullModel, "m", "", adapter, bytes32(0), none, price);
        ModelRegistry.Model memory m = models.getModel(id);
        assertEq(m.owner, who);
        assertEq(uint256(m.pricePer1kTokens), price);
        assertEq(models.getVersion(id, 1).adapterHash, adapter);
    }
}
